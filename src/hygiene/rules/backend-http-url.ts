/**
 * APIM.Backend.HttpUrl: Backend uses http.
 */
import { redactUrl, schemeOf, LEARN, type HygieneRule } from "../rule";

/** Backend uses http. */
export const backendHttpUrl: HygieneRule = {
  id: "APIM.Backend.HttpUrl",
  area: "Backend",
  title: "Backend uses http",
  severity: "warning",
  rationale: "Calls to an http backend travel unencrypted between the gateway and the backend, with credentials the gateway adds.",
  remediation: ["Serve the backend over https and update the backend's URL."],
  docs: `${LEARN}/backends`,
  check: (snapshot) =>
    (snapshot.config?.backends ?? []).filter((b) => schemeOf(b.url) === "http").map((b) => ({ resourceId: b.id, scope: `backend ${b.name}`, message: `Backend ${b.name} uses ${redactUrl(b.url)}.`, details: { url: redactUrl(b.url) } })),
};
