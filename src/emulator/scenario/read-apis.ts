/** The APIs of an instance, with their operations, diagnostics and traffic. */
import { readTraffic, type TrafficSpec } from "../traffic";
import { readDiagnostics, type ScenarioDiagnostic } from "./read-diagnostics";
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** An operation of an API. */
export interface ScenarioOperation {
  name: string;
  displayName: string;
  method: string;
  urlTemplate: string;
  policy?: string;
}

/** An API of the instance. */
export interface ScenarioApi {
  name: string;
  displayName: string;
  path: string;
  serviceUrl?: string;
  protocols: string[];
  subscriptionRequired: boolean;
  apiVersion?: string;
  /** Name of a version set of the instance. */
  versionSet?: string;
  apiRevision: string;
  isCurrent: boolean;
  type: string;
  description?: string;
  /** An OAuth2/OpenID authorization server is attached. */
  oauth?: string;
  operations: ScenarioOperation[];
  policy?: string;
  diagnostics: ScenarioDiagnostic[];
  /** The traffic model, read once; its incident times resolve when the emulator starts. */
  traffic?: TrafficSpec;
}

const API_KEYS = [
  "name", "displayName", "path", "serviceUrl", "protocols", "subscriptionRequired", "apiVersion", "versionSet", "apiRevision",
  "isCurrent", "type", "description", "oauth", "operations", "policy", "diagnostics", "traffic",
];

function readOperations(r: ScenarioReader, ao: Obj, p: string): ScenarioOperation[] {
  return r.list(ao, "operations", p, "operation", (op, q) => {
    const oo = r.object(op, q, ["name", "displayName", "method", "urlTemplate", "policy"]);
    const opName = r.name(oo, "name", q);
    return {
      name: opName,
      displayName: r.str(oo, "displayName", q) ?? opName,
      method: r.reqStr(oo, "method", q, { oneOf: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] }),
      urlTemplate: r.reqStr(oo, "urlTemplate", q, { pattern: /^\//, hint: "a URL template starting with /" }),
      ...opt("policy", r.policy(oo, "policy", q)),
    };
  });
}

/** Reads `apis[]`; version sets and loggers they name must exist on the instance. */
export function readApis(r: ScenarioReader, o: Obj, at: string, versionSetNames: ReadonlySet<string>, loggerNames: ReadonlySet<string>): ScenarioApi[] {
  return r.list(o, "apis", at, "API", (a, p) => {
    const ao = r.object(a, p, API_KEYS);
    const versionSet = r.str(ao, "versionSet", p);
    if (versionSet !== undefined) r.ref(versionSetNames, versionSet, `${p}.versionSet`, "version set", "this instance's versionSets[]");
    const protocols = r.strings(ao, "protocols", p);
    protocols.forEach((x, j) => {
      if (!["http", "https", "ws", "wss"].includes(x)) r.fail(`${p}.protocols[${j}]`, `"${x}" is not one of "http", "https", "ws", "wss"`);
    });
    const operations = readOperations(r, ao, p);
    const api: ScenarioApi = {
      name: r.name(ao, "name", p),
      displayName: r.reqStr(ao, "displayName", p),
      path: r.reqStr(ao, "path", p, { pattern: /^[A-Za-z0-9._~/-]*$/, hint: "a URL path suffix without a leading slash" }),
      ...opt("serviceUrl", r.str(ao, "serviceUrl", p, { pattern: /^(https?|wss?):\/\/[^\s]+$/, hint: "an absolute http(s) URL" })),
      protocols: protocols.length > 0 ? protocols : ["https"],
      subscriptionRequired: r.bool(ao, "subscriptionRequired", p) ?? true,
      ...opt("apiVersion", r.str(ao, "apiVersion", p)),
      ...opt("versionSet", versionSet),
      apiRevision: r.str(ao, "apiRevision", p, { pattern: /^\d+$/, hint: "a revision number" }) ?? "1",
      isCurrent: r.bool(ao, "isCurrent", p) ?? true,
      type: r.str(ao, "type", p, { oneOf: ["http", "soap", "graphql", "websocket", "odata", "grpc"] }) ?? "http",
      ...opt("description", r.str(ao, "description", p)),
      ...opt("oauth", r.str(ao, "oauth", p)),
      operations,
      ...opt("policy", r.policy(ao, "policy", p)),
      diagnostics: readDiagnostics(r, ao, p, loggerNames),
      ...opt("traffic", ao.traffic === undefined ? undefined : readTraffic(ao.traffic, r.file, `${p}.traffic`)),
    };
    if (api.versionSet !== undefined && api.apiVersion === undefined) r.fail(`${p}.apiVersion`, "is required when the API is in a version set");
    return api;
  });
}
