/**
 * APIM.NamedValue.SecretNotMarked: Secret-looking named value not marked secret.
 */
import { LEARN, type HygieneRule } from "../rule";
import { looksSecret } from "./access-support";

/** Secret-looking named value not marked secret. */
export const namedValueSecretNotMarked: HygieneRule = {
  id: "APIM.NamedValue.SecretNotMarked",
  area: "NamedValue",
  title: "Secret-looking named value not marked secret",
  severity: "critical",
  rationale: "A named value that is not secret is shown in the portal, returned by the management API to every reader, and exported in templates. A value that looks like a key, token or connection string should be secret.",
  remediation: ["Rotate the credential: readers may have seen it.", "Recreate the named value as secret, ideally as a Key Vault reference."],
  docs: `${LEARN}/api-management-howto-properties`,
  check: (snapshot) =>
    (snapshot.config?.namedValues ?? [])
      .filter((nv) => !nv.secret && nv.keyVault === undefined && looksSecret(nv))
      .map((nv) => ({ resourceId: nv.id, scope: `named value ${nv.displayName}`, message: `Named value ${nv.displayName} looks like a credential but is not secret.` })),
};
