/**
 * APIM.Instance.Stv1: Instance on the retired stv1 platform.
 */
import { LEARN, type HygieneRule } from "../rule";
import { instanceHit } from "./instance-support";

/** Instance on the retired stv1 platform. */
export const instanceStv1: HygieneRule = {
  id: "APIM.Instance.Stv1",
  area: "Instance",
  title: "Instance on the retired stv1 platform",
  severity: "critical",
  rationale:
    "The stv1 compute platform was retired on 31 August 2024 in global Azure (24 February 2025 in Azure Government and Azure in China). Instances still on it have no SLA and may be shut down or migrated by Microsoft without notice.",
  remediation: ["Migrate the instance to stv2 (portal: Platform migration, or the migrateToStv2 REST call).", "For VNet-injected instances, plan the subnet and NSG changes first: stv2 needs its own subnet setup and public IP."],
  docs: `${LEARN}/breaking-changes/stv1-platform-retirement-august-2024`,
  check: (snapshot) =>
    (snapshot.instance.platformVersion ?? "").toLowerCase() === "stv1"
      ? [instanceHit(snapshot.instance, `Instance ${snapshot.instance.name} still runs on stv1, retired since 31 August 2024.`, { platformVersion: snapshot.instance.platformVersion })]
      : [],
};
