/**
 * APIM.Instance.NoIdentityForKeyVault: Key Vault named values without a managed identity.
 */
import { LEARN, type HygieneRule } from "../rule";
import { instanceHit } from "./instance-support";

/** Key Vault named values without a managed identity. */
export const instanceNoIdentityForKeyVault: HygieneRule = {
  id: "APIM.Instance.NoIdentityForKeyVault",
  area: "Instance",
  title: "Key Vault named values without a managed identity",
  severity: "critical",
  rationale: "API Management reads Key Vault references with a managed identity. Without one, those named values cannot refresh, and new ones cannot be created.",
  remediation: ["Enable the system-assigned identity (or assign a user-assigned one) on the instance.", "Grant it the Key Vault Secrets User role, or a get-secret access policy, on the vault."],
  docs: `${LEARN}/api-management-howto-use-managed-service-identity`,
  check: (snapshot) => {
    const i = snapshot.instance;
    const kv = (snapshot.config?.namedValues ?? []).filter((nv) => nv.keyVault?.secretIdentifier !== undefined);
    if (kv.length === 0 || !["", "none"].includes(i.identityType.trim().toLowerCase())) return [];
    return [instanceHit(i, `Instance ${i.name} has no managed identity but ${kv.length} named value(s) reference Key Vault.`, { namedValues: kv.map((nv) => nv.displayName) })];
  },
};
