/**
 * APIM.Policy.JwtNoClockSkew: validate-jwt without clock-skew.
 */
import { policyScopeLabel, LEARN, type HygieneRule } from "../rule";
import { eachParsed, named } from "./policy-support";

/** validate-jwt without clock-skew. */
export const policyJwtNoClockSkew: HygieneRule = {
  id: "APIM.Policy.JwtNoClockSkew",
  area: "Policy",
  title: "validate-jwt without clock-skew",
  severity: "info",
  rationale:
    "validate-jwt allows no clock difference by default. When the token issuer's clock and the gateway's drift apart by seconds, fresh tokens are rejected as expired or not yet valid, which shows up as bursts of 401.",
  remediation: ['Add clock-skew="60" (seconds) or a similar small value to the validate-jwt element.'],
  docs: `${LEARN}/validate-jwt-policy`,
  check: (snapshot) =>
    eachParsed(snapshot, (doc, root, hit) =>
      named(root, "validate-jwt")
        .filter((e) => e.attributes["clock-skew"] === undefined)
        .map((e) => hit(e, `validate-jwt in the ${policyScopeLabel(doc)} sets no clock-skew.`)),
    ),
};
