/** The loggers of an instance and the APIM diagnostics (service-wide or per API) that use them. */
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** An APIM logger: Application Insights, Azure Monitor or Event Hubs. */
export interface ScenarioLogger {
  name: string;
  loggerType: string;
  description?: string;
  resourceId?: string;
  isBuffered?: boolean;
}

/** An APIM diagnostic, at service or API scope. */
export interface ScenarioDiagnostic {
  name: string;
  /** Name of a logger of the instance. */
  logger: string;
  alwaysLog?: string;
  samplingPercentage?: number;
  verbosity?: string;
  logClientIp?: boolean;
  headers: string[];
  bodyBytes: number;
}

/** Reads `loggers[]`. */
export function readLoggers(r: ScenarioReader, o: Obj, at: string): ScenarioLogger[] {
  return r.list(o, "loggers", at, "logger", (l, p) => {
    const lo = r.object(l, p, ["name", "loggerType", "description", "resourceId", "isBuffered"]);
    return {
      name: r.name(lo, "name", p),
      loggerType: r.reqStr(lo, "loggerType", p, { oneOf: ["applicationInsights", "azureMonitor", "azureEventHub"] }),
      ...opt("description", r.str(lo, "description", p)),
      ...opt("resourceId", r.str(lo, "resourceId", p, { pattern: /^\/subscriptions\//i, hint: "an ARM resource id" })),
      ...opt("isBuffered", r.bool(lo, "isBuffered", p)),
    };
  });
}

/** Reads `diagnostics[]` of `o` (an instance or an API); each must name a known logger. */
export function readDiagnostics(r: ScenarioReader, o: Obj, at: string, loggerNames: ReadonlySet<string>): ScenarioDiagnostic[] {
  return r.list(o, "diagnostics", at, "diagnostic", (d, p) => {
    const dobj = r.object(d, p, ["name", "logger", "alwaysLog", "samplingPercentage", "verbosity", "logClientIp", "headers", "bodyBytes"]);
    const logger = r.reqStr(dobj, "logger", p);
    r.ref(loggerNames, logger, `${p}.logger`, "logger", "this instance's loggers[]");
    return {
      name: r.reqStr(dobj, "name", p, { oneOf: ["applicationinsights", "azuremonitor", "azureeventhub"] }),
      logger,
      ...opt("alwaysLog", r.str(dobj, "alwaysLog", p, { oneOf: ["allErrors"] })),
      ...opt("samplingPercentage", r.num(dobj, "samplingPercentage", p, { min: 0, max: 100 })),
      ...opt("verbosity", r.str(dobj, "verbosity", p, { oneOf: ["verbose", "information", "error"] })),
      ...opt("logClientIp", r.bool(dobj, "logClientIp", p)),
      headers: r.strings(dobj, "headers", p),
      bodyBytes: r.num(dobj, "bodyBytes", p, { min: 0, max: 8192, integer: true }) ?? 0,
    };
  });
}
