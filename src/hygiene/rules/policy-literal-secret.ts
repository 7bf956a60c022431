/**
 * APIM.Policy.LiteralSecret: Secret written into policy XML.
 */
import { policyScopeLabel, LEARN, type HygieneRule, type RuleHit } from "../rule";
import { eachParsed, named, childText, isLiteral, SECRET_HEADERS, SECRET_QUERY } from "./policy-support";

/** Secret written into policy XML. */
export const policyLiteralSecret: HygieneRule = {
  id: "APIM.Policy.LiteralSecret",
  area: "Policy",
  title: "Secret written into policy XML",
  severity: "critical",
  rationale:
    "A credential typed into policy XML (a header or query key, a basic-auth or certificate password, a symmetric signing or decryption key) is visible to everyone who can read the policy, lands in templates, exports and source control, and cannot be rotated without editing every copy. A secret named value (ideally from Key Vault) keeps it out of the policy.",
  remediation: [
    "Rotate the credential now: treat it as disclosed.",
    "Create a secret named value, preferably referencing Key Vault, holding the new credential.",
    "Replace the literal in the policy with {{named-value-name}}.",
  ],
  docs: `${LEARN}/api-management-howto-properties`,
  check: (snapshot) =>
    eachParsed(snapshot, (doc, root, hit) => {
      const hits: RuleHit[] = [];
      for (const e of named(root, "set-header")) {
        const name = e.attributes.name ?? "";
        if (!SECRET_HEADERS.test(name)) continue;
        const values = childText(e, "value");
        if (values.some((v) => isLiteral(v) && !/^(bearer|basic)\s*$/i.test(v))) {
          hits.push(hit(e, `The ${name} header in the ${policyScopeLabel(doc)} is set to a literal value.`, { header: name }));
        }
      }
      for (const e of named(root, "set-query-parameter")) {
        const name = e.attributes.name ?? "";
        if (SECRET_QUERY.test(name) && childText(e, "value").some(isLiteral)) {
          hits.push(hit(e, `The ${name} query parameter in the ${policyScopeLabel(doc)} is set to a literal value.`, { queryParameter: name }));
        }
      }
      for (const e of named(root, "authentication-basic")) {
        if (isLiteral(e.attributes.password)) hits.push(hit(e, `authentication-basic in the ${policyScopeLabel(doc)} has a literal password.`, { attribute: "password" }));
      }
      for (const e of named(root, "issuer-signing-keys", "decryption-keys")) {
        // A key given as element text is a symmetric secret; certificate-id or n/e name a public key.
        const literal = e.children.filter((k) => k.name === "key" && isLiteral(k.text));
        if (literal.length > 0) hits.push(hit(e, `<${e.name}> in the ${policyScopeLabel(doc)} holds ${literal.length} literal key(s).`, { element: e.name }));
      }
      for (const e of named(root, "authentication-certificate")) {
        if (isLiteral(e.attributes.password)) hits.push(hit(e, `authentication-certificate in the ${policyScopeLabel(doc)} has a literal password.`, { attribute: "password" }));
      }
      return hits;
    }),
};
