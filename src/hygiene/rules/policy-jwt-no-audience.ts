/**
 * APIM.Policy.JwtNoAudience: validate-jwt does not check the audience.
 */
import { policyScopeLabel, LEARN, type HygieneRule } from "../rule";
import { eachParsed, named } from "./policy-support";

/** validate-jwt does not check the audience. */
export const policyJwtNoAudience: HygieneRule = {
  id: "APIM.Policy.JwtNoAudience",
  area: "Policy",
  title: "validate-jwt does not check the audience",
  severity: "warning",
  rationale:
    "Without <audiences>, any token the issuer signs is accepted, including tokens issued for other applications in the same tenant.",
  remediation: ["Add an <audiences> element listing the application ID URI or client id of this API.", "Watch for TokenAudienceNotAllowed in the gateway logs after the change."],
  docs: `${LEARN}/validate-jwt-policy`,
  check: (snapshot) =>
    eachParsed(snapshot, (doc, root, hit) =>
      named(root, "validate-jwt")
        .filter((e) => !e.children.some((c) => c.name === "audiences" && c.children.some((a) => a.name === "audience")))
        .map((e) => hit(e, `validate-jwt in the ${policyScopeLabel(doc)} has no audience check.`)),
    ),
};
