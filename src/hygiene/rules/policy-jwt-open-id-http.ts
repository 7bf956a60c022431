/**
 * APIM.Policy.JwtOpenIdHttp: validate-jwt reads its OpenID configuration over http.
 */
import { policyScopeLabel, redactUrl, schemeOf, LEARN, type HygieneRule } from "../rule";
import { eachParsed, named } from "./policy-support";

/** validate-jwt reads its OpenID configuration over http. */
export const policyJwtOpenIdHttp: HygieneRule = {
  id: "APIM.Policy.JwtOpenIdHttp",
  area: "Policy",
  title: "validate-jwt reads its OpenID configuration over http",
  severity: "critical",
  rationale:
    "The OpenID configuration tells the gateway which keys sign valid tokens. Fetched over plain http, anyone on the path can substitute their own keys and mint tokens the gateway accepts.",
  remediation: ["Change the openid-config url to https.", "Prefer the issuer's published https metadata address (for Microsoft Entra ID, https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration)."],
  docs: `${LEARN}/validate-jwt-policy`,
  check: (snapshot) =>
    eachParsed(snapshot, (doc, root, hit) =>
      named(root, "openid-config")
        .filter((e) => schemeOf(e.attributes.url ?? "") === "http")
        .map((e) => hit(e, `openid-config in the ${policyScopeLabel(doc)} uses http.`, { url: redactUrl(e.attributes.url ?? "") })),
    ),
};
