/**
 * APIM.Instance.NetworkDependencyFailing: Required network dependency unreachable.
 */
import { LEARN, type HygieneRule } from "../rule";
import { instanceHit } from "./instance-support";

/** Required network dependency unreachable. */
export const instanceNetworkDependencyFailing: HygieneRule = {
  id: "APIM.Instance.NetworkDependencyFailing",
  area: "Instance",
  title: "Required network dependency unreachable",
  severity: "critical",
  rationale: "An instance injected into a virtual network needs outbound access to Azure Storage, SQL, Key Vault, Microsoft Entra ID and others. When the network status check reports a required dependency unreachable, deployments, certificate refresh or the gateway itself may fail.",
  remediation: ["Check the subnet's NSG, route table and firewall against the documented VNet requirements for the failing dependency.", "Re-check in the portal (Network status) after the change."],
  docs: `${LEARN}/virtual-network-reference`,
  check: (snapshot) => {
    const i = snapshot.instance;
    const vnet = (i.virtualNetworkType ?? "None").toLowerCase();
    if (vnet !== "external" && vnet !== "internal") return [];
    const failing = (snapshot.config?.networkStatus ?? []).filter((d) => !d.isOptional && d.status.toLowerCase() === "failure");
    if (failing.length === 0) return [];
    return [instanceHit(i, `Instance ${i.name} cannot reach ${failing.length} required dependenc${failing.length === 1 ? "y" : "ies"}: ${failing.map((d) => d.name).slice(0, 5).join(", ")}.`, { failing: failing.map((d) => ({ name: d.name, location: d.location, error: d.error })) })];
  },
};
