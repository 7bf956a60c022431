/**
 * APIM.Policy.Unparseable: Policy XML does not parse.
 */
import { parsePolicyDoc } from "../policy-xml";
import { policyScopeLabel, LEARN, type HygieneRule, type RuleHit } from "../rule";

/** Policy XML does not parse. */
export const policyUnparseable: HygieneRule = {
  id: "APIM.Policy.Unparseable",
  area: "Policy",
  title: "Policy XML does not parse",
  severity: "warning",
  rationale:
    "The policy document could not be read as XML, even with its C# policy expressions set aside. Every other policy check is blind to this document, and the next edit through the portal or a template may be rejected.",
  remediation: [
    "Open the policy at the named scope in the portal's code editor and go to the reported line.",
    "Close the unclosed element or fix the stray character, then save; the service validates the document on save.",
  ],
  docs: `${LEARN}/set-edit-policies`,
  check: (snapshot) => {
    const hits: RuleHit[] = [];
    for (const doc of snapshot.config?.policies ?? []) {
      const parsed = parsePolicyDoc(doc);
      if (parsed.ok) continue;
      hits.push({
        resourceId: doc.id,
        scope: policyScopeLabel(doc),
        line: parsed.line,
        message: `The ${policyScopeLabel(doc)} does not parse: ${parsed.message} (line ${parsed.line}, column ${parsed.column}).`,
        ...(doc.apiName !== undefined ? { api: doc.apiName } : {}),
        details: { parseError: parsed.message, column: parsed.column },
      });
    }
    return hits;
  },
};
