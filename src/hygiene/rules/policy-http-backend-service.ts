/**
 * APIM.Policy.HttpBackendService: set-backend-service sends calls over http.
 */
import { policyScopeLabel, redactUrl, schemeOf, LEARN, type HygieneRule } from "../rule";
import { eachParsed, named } from "./policy-support";

/** set-backend-service sends calls over http. */
export const policyHttpBackendService: HygieneRule = {
  id: "APIM.Policy.HttpBackendService",
  area: "Policy",
  title: "set-backend-service sends calls over http",
  severity: "warning",
  rationale: "Calls routed by set-backend-service to an http base-url travel unencrypted from the gateway to the backend, with whatever credentials and data they carry.",
  remediation: ["Serve the backend over https and change base-url to https.", "If the backend is private, reach it over a virtual network rather than plain http."],
  docs: `${LEARN}/set-backend-service-policy`,
  check: (snapshot) =>
    eachParsed(snapshot, (doc, root, hit) =>
      named(root, "set-backend-service")
        .filter((e) => schemeOf(e.attributes["base-url"] ?? "") === "http")
        .map((e) => hit(e, `set-backend-service in the ${policyScopeLabel(doc)} points at ${redactUrl(e.attributes["base-url"] ?? "")}.`, { baseUrl: redactUrl(e.attributes["base-url"] ?? "") })),
    ),
};
