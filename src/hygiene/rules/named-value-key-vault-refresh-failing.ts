/**
 * APIM.NamedValue.KeyVaultRefreshFailing: Key Vault named value stopped refreshing.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Key Vault named value stopped refreshing. */
export const namedValueKeyVaultRefreshFailing: HygieneRule = {
  id: "APIM.NamedValue.KeyVaultRefreshFailing",
  area: "NamedValue",
  title: "Key Vault named value stopped refreshing",
  severity: "critical",
  rationale: "API Management refreshes Key Vault references periodically. While the refresh fails, the gateway keeps serving the last value it fetched, so a rotation in Key Vault never reaches it and calls fail once the old secret is revoked.",
  remediation: [
    "Check that the instance's managed identity (or the named value's identity) can read secrets in the vault.",
    "Check the vault's firewall allows the instance, and that the secret still exists.",
    "Refresh the named value from the portal once fixed.",
  ],
  docs: `${LEARN}/api-management-howto-properties`,
  check: (snapshot) =>
    (snapshot.config?.namedValues ?? [])
      .filter((nv) => {
        const code = nv.keyVault?.lastStatus?.code;
        return code !== undefined && code !== "" && code.toLowerCase() !== "success";
      })
      .map((nv) => ({
        resourceId: nv.id,
        scope: `named value ${nv.displayName}`,
        message: `Named value ${nv.displayName} failed to refresh from Key Vault (${nv.keyVault?.lastStatus?.code ?? ""}).`,
        details: { code: nv.keyVault?.lastStatus?.code, since: nv.keyVault?.lastStatus?.timeStampUtc },
      })),
};
