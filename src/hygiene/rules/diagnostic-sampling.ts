/**
 * APIM.Diagnostic.Sampling: Sampling too high for production or too low to keep errors.
 */
import { LEARN, type HygieneRule } from "../rule";
import { MIN_SAMPLING_PERCENT, isProduction } from "./instance-support";

/** Sampling too high for production or too low to keep errors. */
export const diagnosticSampling: HygieneRule = {
  id: "APIM.Diagnostic.Sampling",
  area: "Diagnostic",
  title: "Sampling too high for production or too low to keep errors",
  severity: "warning",
  config: { minPercent: MIN_SAMPLING_PERCENT, maxProductionPercent: 100 },
  rationale:
    "Logging every request to Application Insights on a busy production instance costs a lot and can slow the gateway. Sampling so low that errors are dropped, while errors are not logged regardless, means the calls you need to see are gone.",
  remediation: ["On production, lower sampling (for example to 10-25%) and set 'Always log' to errors.", "Where sampling is very low, set 'Always log' to errors so failures are kept."],
  docs: `${LEARN}/api-management-howto-app-insights`,
  check: (snapshot) =>
    (snapshot.config?.diagnostics ?? []).flatMap((d) => {
      const pct = d.samplingPercentage;
      if (pct === undefined || d.name.toLowerCase() !== "applicationinsights") return [];
      const scope = d.apiName === undefined ? "all APIs" : `API ${d.apiName}`;
      if (pct >= 100 && isProduction(snapshot.instance)) {
        return [{ resourceId: d.id, scope: `diagnostic ${d.name} (${scope})`, message: `Application Insights samples 100% of requests for ${scope} on a production instance.`, details: { samplingPercentage: pct } }];
      }
      if (pct < MIN_SAMPLING_PERCENT && d.alwaysLog !== "allErrors") {
        return [{ resourceId: d.id, scope: `diagnostic ${d.name} (${scope})`, message: `Application Insights keeps only ${pct}% of requests for ${scope} and does not always log errors.`, details: { samplingPercentage: pct, alwaysLog: d.alwaysLog ?? null } }];
      }
      return [];
    }),
};
