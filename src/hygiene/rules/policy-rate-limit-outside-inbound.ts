/**
 * APIM.Policy.RateLimitOutsideInbound: Rate limit or quota outside <inbound>.
 */
import { sectionOf } from "../policy-xml";
import { policyScopeLabel, LEARN, type HygieneRule } from "../rule";
import { eachParsed, named } from "./policy-support";

/** Rate limit or quota outside <inbound>. */
export const policyRateLimitOutsideInbound: HygieneRule = {
  id: "APIM.Policy.RateLimitOutsideInbound",
  area: "Policy",
  title: "Rate limit or quota outside <inbound>",
  severity: "warning",
  rationale:
    "rate-limit, rate-limit-by-key, quota and quota-by-key are inbound policies: they decide whether a call may reach the backend. Placed in another section they do not protect the backend as intended.",
  remediation: ["Move the element into the <inbound> section of the same policy.", "Check that the API still answers 429 or 403 when the limit is reached."],
  docs: `${LEARN}/rate-limit-policy`,
  check: (snapshot) =>
    eachParsed(snapshot, (doc, root, hit) =>
      named(root, "rate-limit", "rate-limit-by-key", "quota", "quota-by-key")
        .filter((e) => sectionOf(e) !== "inbound")
        .map((e) => hit(e, `<${e.name}> sits in <${sectionOf(e) ?? "no section"}> of the ${policyScopeLabel(doc)}, where it does not limit calls.`, { element: e.name, section: sectionOf(e) ?? null })),
    ),
};
