/**
 * APIM.Diagnostic.SensitiveCapture: Verbose logging, or bodies and credential headers logged.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Verbose logging, or bodies and credential headers logged. */
export const diagnosticSensitiveCapture: HygieneRule = {
  id: "APIM.Diagnostic.SensitiveCapture",
  area: "Diagnostic",
  title: "Verbose logging, or bodies and credential headers logged",
  severity: "warning",
  rationale:
    "Verbose verbosity also ships trace policy output. Logged Authorization, subscription key or cookie headers put credentials into the log store, and logged bodies copy personal data there, readable by everyone with access to the logs.",
  remediation: ["Set verbosity to information or error.", "Remove Authorization, Ocp-Apim-Subscription-Key and Cookie from the logged headers.", "Set the logged body bytes to 0 unless a short debugging session needs them."],
  docs: `${LEARN}/api-management-howto-app-insights`,
  check: (snapshot) =>
    (snapshot.config?.diagnostics ?? []).flatMap((d) => {
      const reasons: string[] = [];
      if ((d.verbosity ?? "").toLowerCase() === "verbose") reasons.push("verbose verbosity");
      const creds = Object.values(d.headersLogged).flat().filter((h) => /^(authorization|proxy-authorization|ocp-apim-subscription-key|cookie|set-cookie|x-api-key|api-key)$/i.test(h));
      if (creds.length > 0) reasons.push(`credential headers (${[...new Set(creds.map((h) => h.toLowerCase()))].join(", ")})`);
      const bodies = Object.entries(d.bodyBytes).filter(([, n]) => n > 0).map(([k]) => k);
      if (bodies.length > 0) reasons.push(`bodies (${bodies.join(", ")})`);
      if (reasons.length === 0) return [];
      return [{ resourceId: d.id, scope: `diagnostic ${d.name}${d.apiName === undefined ? "" : ` (API ${d.apiName})`}`, message: `Diagnostic ${d.name} logs ${reasons.join(", ")}.`, ...(d.apiName !== undefined ? { api: d.apiName } : {}) }];
    }),
};
