/**
 * APIM.Policy.CorsWildcard: CORS allows any origin.
 */
import { policyScopeLabel, LEARN, type HygieneRule } from "../rule";
import { eachParsed, named } from "./policy-support";

/** CORS allows any origin. */
export const policyCorsWildcard: HygieneRule = {
  id: "APIM.Policy.CorsWildcard",
  area: "Policy",
  title: "CORS allows any origin",
  severity: "warning",
  rationale: "A cors policy with the origin * lets script on any web site call the API from a visitor's browser. Allowed origins should name the sites that need access.",
  remediation: ["Replace <origin>*</origin> with the exact origins (scheme, host and port) of the front ends that call this API."],
  docs: `${LEARN}/cors-policy`,
  check: (snapshot) =>
    eachParsed(snapshot, (doc, root, hit) =>
      named(root, "cors")
        .filter((e) => e.children.some((c) => c.name === "allowed-origins" && c.children.some((o) => o.name === "origin" && o.text.trim() === "*")))
        .map((e) => hit(e, `cors in the ${policyScopeLabel(doc)} allows every origin.`, { allowCredentials: e.attributes["allow-credentials"] ?? "false" })),
    ),
};
