/**
 * APIM.Api.HttpProtocol: API accepts plain http.
 */
import { LEARN, type HygieneRule } from "../rule";
import { apiHit, apis } from "./api-support";

/** API accepts plain http. */
export const apiHttpProtocol: HygieneRule = {
  id: "APIM.Api.HttpProtocol",
  area: "Api",
  title: "API accepts plain http",
  severity: "warning",
  rationale: "With http among an API's protocols, callers can send subscription keys and tokens unencrypted, and a single misconfigured client will.",
  remediation: ["In the API's settings, set the URL scheme to HTTPS only.", "Tell callers still using http before the change; their calls will fail afterwards."],
  docs: `${LEARN}/mitigate-owasp-api-threats`,
  check: (snapshot) => apis(snapshot).filter((a) => a.protocols.some((p) => p.toLowerCase() === "http")).map((a) => apiHit(a, `API ${a.name} accepts http.`, { protocols: a.protocols })),
};
