/**
 * APIM.Diagnostic.AlwaysLogErrors: Errors are not always logged.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Errors are not always logged. */
export const diagnosticAlwaysLogErrors: HygieneRule = {
  id: "APIM.Diagnostic.AlwaysLogErrors",
  area: "Diagnostic",
  title: "Errors are not always logged",
  severity: "info",
  rationale: "With 'Always log' set to errors, failed calls are logged whatever the sampling rate. Without it, the failures you investigate may be the ones sampling dropped.",
  remediation: ["Set alwaysLog to allErrors on the diagnostic."],
  docs: `${LEARN}/api-management-howto-app-insights`,
  check: (snapshot) =>
    (snapshot.config?.diagnostics ?? [])
      .filter((d) => d.name.toLowerCase() === "applicationinsights" && d.alwaysLog !== "allErrors")
      .map((d) => ({ resourceId: d.id, scope: `diagnostic ${d.name} (${d.apiName === undefined ? "all APIs" : `API ${d.apiName}`})`, message: `Diagnostic ${d.name}${d.apiName === undefined ? "" : ` for API ${d.apiName}`} does not always log errors.` })),
};
