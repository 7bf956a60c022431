/**
 * APIM.Diagnostic.NoTelemetry: No Application Insights or Azure Monitor diagnostic.
 */
import { LEARN, type HygieneRule } from "../rule";
import { instanceHit, serviceDiagnostics } from "./instance-support";

/** No Application Insights or Azure Monitor diagnostic. */
export const diagnosticNoTelemetry: HygieneRule = {
  id: "APIM.Diagnostic.NoTelemetry",
  area: "Diagnostic",
  title: "No Application Insights or Azure Monitor diagnostic",
  severity: "warning",
  rationale: "Without a service-level Application Insights or Azure Monitor diagnostic, failed calls leave no trace: there are no gateway logs to explain a 5xx or 401 burst, and apimbot's auth sweep has less to go on.",
  remediation: ["Create a logger for Application Insights or enable resource logs to a Log Analytics workspace.", "Enable the matching diagnostic at the All APIs scope."],
  docs: `${LEARN}/api-management-howto-app-insights`,
  check: (snapshot) => {
    if (snapshot.config === undefined) return [];
    const names = serviceDiagnostics(snapshot).map((d) => d.name.toLowerCase());
    if (names.includes("applicationinsights") || names.includes("azuremonitor")) return [];
    return [instanceHit(snapshot.instance, `Instance ${snapshot.instance.name} sends no gateway telemetry to Application Insights or Azure Monitor.`)];
  },
};
