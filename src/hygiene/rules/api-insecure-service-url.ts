/**
 * APIM.Api.InsecureServiceUrl: API backend URL is http, relative or a placeholder.
 */
import { redactUrl, schemeOf, LEARN, type HygieneRule } from "../rule";
import { PLACEHOLDER_HOST, apiHit, apis } from "./api-support";

/** API backend URL is http, relative or a placeholder. */
export const apiInsecureServiceUrl: HygieneRule = {
  id: "APIM.Api.InsecureServiceUrl",
  area: "Api",
  title: "API backend URL is http, relative or a placeholder",
  severity: "warning",
  rationale:
    "The web service URL is where the gateway forwards calls. An http URL sends them unencrypted; a relative URL or a placeholder host (example.com, localhost) means calls fail or go somewhere nobody meant.",
  remediation: ["Set the API's web service URL to the real backend's absolute https address, or route with a backend entity and set-backend-service."],
  docs: `${LEARN}/backends`,
  check: (snapshot) =>
    apis(snapshot).flatMap((a) => {
      const url = a.serviceUrl?.trim();
      if (url === undefined || url === "") return [];
      const scheme = schemeOf(url);
      if (scheme === undefined) return [apiHit(a, `API ${a.name} has a relative backend URL.`, { serviceUrl: redactUrl(url) })];
      if (scheme === "http") return [apiHit(a, `API ${a.name} forwards calls over http.`, { serviceUrl: redactUrl(url) })];
      const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(url)?.[1] ?? "";
      if (PLACEHOLDER_HOST.test(host) || /[<>{}]/.test(url)) return [apiHit(a, `API ${a.name} forwards calls to a placeholder host (${host}).`, { serviceUrl: redactUrl(url) })];
      return [];
    }),
};
