/**
 * APIM.NamedValue.SecretNotInKeyVault: Secret named value not held in Key Vault.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Secret named value not held in Key Vault. */
export const namedValueSecretNotInKeyVault: HygieneRule = {
  id: "APIM.NamedValue.SecretNotInKeyVault",
  area: "NamedValue",
  title: "Secret named value not held in Key Vault",
  severity: "info",
  rationale: "A secret typed into API Management has no rotation, no expiry and no access audit. A Key Vault reference is refreshed by the service and rotated in one place.",
  remediation: ["Store the secret in Key Vault.", "Give the instance's managed identity read access to secrets.", "Change the named value to a Key Vault reference."],
  docs: `${LEARN}/api-management-howto-properties`,
  check: (snapshot) =>
    (snapshot.config?.namedValues ?? [])
      .filter((nv) => nv.secret && nv.keyVault?.secretIdentifier === undefined)
      .map((nv) => ({ resourceId: nv.id, scope: `named value ${nv.displayName}`, message: `Secret named value ${nv.displayName} is stored in API Management, not Key Vault.` })),
};
