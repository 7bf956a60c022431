/** The faults a scenario injects from the start. */
import { describe } from "../relative-time";
import { faultProblem, type FaultSpec } from "../faults";
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

function readFault(r: ScenarioReader, v: unknown, at: string): FaultSpec {
  const o = r.object(v, at, ["path", "pathRegex", "method", "count", "latencyMs", "status", "retryAfterSeconds", "timeout", "holdMs", "malformed", "description"]);
  r.str(o, "description", at);
  const spec: FaultSpec = {
    ...opt("path", r.str(o, "path", at)),
    ...opt("pathRegex", r.str(o, "pathRegex", at)),
    ...opt("method", r.str(o, "method", at, { oneOf: ["GET", "POST", "PUT", "PATCH", "DELETE"] })),
    ...opt("latencyMs", r.num(o, "latencyMs", at, { min: 0 })),
    ...opt("retryAfterSeconds", r.num(o, "retryAfterSeconds", at, { min: 0 })),
    ...opt("holdMs", r.num(o, "holdMs", at, { min: 0 })),
    ...opt("timeout", r.str(o, "timeout", at, { oneOf: ["hang", "reset"] }) as FaultSpec["timeout"]),
    ...opt("malformed", r.bool(o, "malformed", at)),
  };
  if (o.count !== undefined) {
    if (o.count !== "always" && !(typeof o.count === "number" && Number.isInteger(o.count) && o.count > 0)) {
      r.fail(`${at}.count`, `expected a positive whole number or "always", got ${describe(o.count)}`);
    }
    spec.count = o.count as number | "always";
  }
  const status = r.num(o, "status", at, { integer: true });
  if (status !== undefined) {
    if (status !== 429 && status !== 500 && status !== 503) r.fail(`${at}.status`, `must be 429, 500 or 503, got ${status}`);
    spec.status = status;
  }
  const problem = faultProblem(spec);
  if (problem) r.fail(at, problem);
  return spec;
}

/** Reads the scenario's `faults[]`. */
export function readFaults(r: ScenarioReader, root: Obj): FaultSpec[] {
  return r.array(root, "faults", "").map((v, i) => readFault(r, v, `faults[${i}]`));
}
