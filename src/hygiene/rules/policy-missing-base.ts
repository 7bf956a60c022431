/**
 * APIM.Policy.MissingBase: Policy section drops the inherited policies (no <base />).
 */
import { descendants } from "../policy-xml";
import { policyScopeLabel, LEARN, type HygieneRule } from "../rule";
import { SECTIONS, eachParsed } from "./policy-support";

/** Policy section drops the inherited policies (no <base />). */
export const policyMissingBase: HygieneRule = {
  id: "APIM.Policy.MissingBase",
  area: "Policy",
  title: "Policy section drops the inherited policies (no <base />)",
  severity: "warning",
  rationale:
    "A product, API or operation policy inherits the enclosing scope's policies only where a section contains <base />. Without it, policies set higher up, such as authentication, throttling or CORS, silently stop applying at this scope. The global scope has no parent, so it is not checked.",
  remediation: [
    "Add <base /> to each reported section, usually as its first element.",
    "If dropping the inherited policies is intended, suppress this finding with the reason, so the decision is recorded.",
  ],
  docs: `${LEARN}/api-management-howto-policies`,
  check: (snapshot) =>
    eachParsed(snapshot, (doc, root, hit) => {
      if (doc.scope === "global" || root.name !== "policies") return [];
      return root.children
        .filter((s) => SECTIONS.includes(s.name) && !descendants(s).some((e) => e.name === "base"))
        .map((s) => hit(s, `The <${s.name}> section of the ${policyScopeLabel(doc)} has no <base />, so the enclosing scope's ${s.name} policies do not run.`, { section: s.name }));
    }),
};
