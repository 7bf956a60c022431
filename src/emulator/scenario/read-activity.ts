/** The Activity Log events and the Resource Health status of an instance. */
import type { TimeSpec } from "../relative-time";
import { GUID, opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** One Activity Log event on the instance. */
export interface ScenarioActivity {
  operationName: string;
  status: string;
  subStatus?: string;
  time: TimeSpec;
  correlationId?: string;
  caller?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** The instance's current Resource Health availability status. */
export interface ScenarioHealth {
  availabilityState: string;
  summary?: string;
  reasonType?: string;
  occurredTime?: TimeSpec;
  detailedStatus?: string;
}

/** Reads `activity[]`. */
export function readActivity(r: ScenarioReader, o: Obj, at: string): ScenarioActivity[] {
  return r.array(o, "activity", at).map((a, i) => {
    const p = `${at}.activity[${i}]`;
    const ao = r.object(a, p, ["operationName", "status", "subStatus", "time", "correlationId", "caller", "errorCode", "errorMessage"]);
    const time = r.reqTime(ao, "time", p);
    return {
      operationName: r.reqStr(ao, "operationName", p),
      status: r.reqStr(ao, "status", p, { oneOf: ["Started", "Accepted", "Succeeded", "Failed", "Canceled", "Active", "Resolved", "InProgress"] }),
      time,
      ...opt("subStatus", r.str(ao, "subStatus", p)),
      ...opt("correlationId", r.str(ao, "correlationId", p, { pattern: GUID, hint: "a GUID" })),
      ...opt("caller", r.str(ao, "caller", p)),
      ...opt("errorCode", r.str(ao, "errorCode", p)),
      ...opt("errorMessage", r.str(ao, "errorMessage", p)),
    };
  });
}

/** Reads `health`, when given. */
export function readHealth(r: ScenarioReader, o: Obj, at: string): ScenarioHealth | undefined {
  if (o.health === undefined) return undefined;
  const p = `${at}.health`;
  const ho = r.object(o.health, p, ["availabilityState", "summary", "reasonType", "occurredTime", "detailedStatus"]);
  return {
    availabilityState: r.reqStr(ho, "availabilityState", p, { oneOf: ["Available", "Degraded", "Unavailable", "Unknown"] }),
    ...opt("summary", r.str(ho, "summary", p)),
    ...opt("reasonType", r.str(ho, "reasonType", p)),
    ...opt("occurredTime", r.time(ho, "occurredTime", p)),
    ...opt("detailedStatus", r.str(ho, "detailedStatus", p)),
  };
}
