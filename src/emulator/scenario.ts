/**
 * The scenario file: an APIM estate described in JSON, validated strictly. Format: scenarios/README.md.
 */
import { readFileSync } from "node:fs";
import { ScenarioError } from "./scenario-error";
import { describe, parseTimeSpec, type TimeSpec } from "./relative-time";
import { faultProblem, type FaultSpec } from "./faults";
import { parseApiTraffic, type ApiTraffic } from "./traffic";

/** An Azure subscription holding instances. */
export interface ScenarioSubscription {
  id: string;
  displayName: string;
}

/** A Log Analytics workspace that diagnostic settings can point at. */
export interface ScenarioWorkspace {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  customerId: string;
}

export interface ScenarioHostname {
  type: string;
  hostName: string;
  certificateSource?: string;
  keyVaultId?: string;
  defaultSslBinding?: boolean;
  negotiateClientCertificate?: boolean;
  certificate?: { expiry: TimeSpec; thumbprint?: string; subject?: string };
}

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

export interface ScenarioHealth {
  availabilityState: string;
  summary?: string;
  reasonType?: string;
  occurredTime?: TimeSpec;
  detailedStatus?: string;
}

export interface ScenarioDiagnosticSetting {
  name: string;
  /** Name of a workspace in `workspaces`. */
  workspace: string;
  /** `Dedicated` sends gateway logs to `ApiManagementGatewayLogs`; absent means `AzureDiagnostics`. */
  destinationType?: "Dedicated" | "AzureDiagnostics";
  categories: string[];
}

export interface ScenarioUser {
  name: string;
  email: string;
  firstName: string;
  lastName: string;
  state: string;
  registrationDate?: TimeSpec;
}

export interface ScenarioOperation {
  name: string;
  displayName: string;
  method: string;
  urlTemplate: string;
  policy?: string;
}

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
  /** The traffic block as written; parsed again against the clock when the emulator starts. */
  trafficRaw?: unknown;
  traffic?: ApiTraffic;
}

export interface ScenarioVersionSet {
  name: string;
  displayName: string;
  versioningScheme: string;
  versionQueryName?: string;
  versionHeaderName?: string;
  description?: string;
}

export interface ScenarioProduct {
  name: string;
  displayName: string;
  description?: string;
  state: string;
  subscriptionRequired: boolean;
  approvalRequired?: boolean;
  subscriptionsLimit?: number;
  terms?: string;
  apis: string[];
  policy?: string;
}

export interface ScenarioSubscriptionContract {
  name: string;
  displayName?: string;
  /** `/apis`, `/apis/<api>` or `/products/<product>`. */
  scope: string;
  /** Name of a user of the instance. */
  owner?: string;
  state: string;
  createdDate?: TimeSpec;
  startDate?: TimeSpec;
  expirationDate?: TimeSpec;
  endDate?: TimeSpec;
  notificationDate?: TimeSpec;
  allowTracing?: boolean;
}

export interface ScenarioBackend {
  name: string;
  url: string;
  protocol: string;
  description?: string;
  resourceId?: string;
  validateCertificateChain?: boolean;
  validateCertificateName?: boolean;
  credentials?: { header?: Record<string, string[]>; query?: Record<string, string[]>; authorization?: { scheme: string; parameter: string } };
  circuitBreaker?: boolean;
}

export interface ScenarioNamedValue {
  name: string;
  displayName: string;
  value?: string;
  secret: boolean;
  tags: string[];
  keyVault?: { secretIdentifier: string; identityClientId?: string; lastStatus?: { code: string; message?: string; time?: TimeSpec } };
}

export interface ScenarioLogger {
  name: string;
  loggerType: string;
  description?: string;
  resourceId?: string;
  isBuffered?: boolean;
}

export interface ScenarioPortalRevision {
  name: string;
  status: string;
  isCurrent: boolean;
  description?: string;
  statusDetails?: string;
  created?: TimeSpec;
  updated?: TimeSpec;
}

export interface ScenarioGateway {
  name: string;
  description?: string;
  location?: string;
}

export interface ScenarioCertificate {
  name: string;
  subject: string;
  thumbprint?: string;
  expirationDate: TimeSpec;
  keyVaultSecretId?: string;
}

export interface ScenarioNetworkLocation {
  location: string;
  dnsServers: string[];
  dependencies: { name: string; resourceType?: string; status: string; isOptional: boolean; error?: string; lastUpdated?: TimeSpec }[];
}

/** One `Microsoft.ApiManagement/service` and everything under it. */
export interface ScenarioInstance {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  sku: { name: string; capacity: number };
  provisioningState: string;
  targetProvisioningState: string;
  platformVersion?: string;
  createdAtUtc: TimeSpec;
  publisherEmail: string;
  publisherName: string;
  tags: Record<string, string>;
  identity: string;
  zones: string[];
  additionalLocations: { location: string; skuCapacity: number; zones: string[] }[];
  virtualNetworkType: string;
  publicNetworkAccess: string;
  customProperties: Record<string, string>;
  hostnames: ScenarioHostname[];
  activity: ScenarioActivity[];
  health?: ScenarioHealth;
  diagnosticSettings: ScenarioDiagnosticSetting[];
  policy?: string;
  users: ScenarioUser[];
  versionSets: ScenarioVersionSet[];
  apis: ScenarioApi[];
  products: ScenarioProduct[];
  subscriptions: ScenarioSubscriptionContract[];
  backends: ScenarioBackend[];
  namedValues: ScenarioNamedValue[];
  diagnostics: ScenarioDiagnostic[];
  loggers: ScenarioLogger[];
  portalRevisions: ScenarioPortalRevision[];
  gateways: ScenarioGateway[];
  certificates: ScenarioCertificate[];
  networkStatus?: ScenarioNetworkLocation[];
}

/** Collections whose page size a scenario can set. */
export const PAGED_COLLECTIONS = [
  "default", "services", "subscriptions", "users", "apis", "operations", "versionSets", "products", "productApis",
  "backends", "namedValues", "diagnostics", "loggers", "portalRevisions", "gateways", "certificates", "activityLog", "resourceGraph",
] as const;

/** A validated scenario. Times stay relative until the emulator resolves them against its clock. */
export interface Scenario {
  /** Where it came from, for messages. */
  file: string;
  tenantId: string;
  paging: Partial<Record<(typeof PAGED_COLLECTIONS)[number], number>>;
  subscriptions: ScenarioSubscription[];
  workspaces: ScenarioWorkspace[];
  instances: ScenarioInstance[];
  faults: FaultSpec[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._;=-]{0,79}$/;

type Obj = Record<string, unknown>;

/** Reads JSON values at a known path, failing with the file and path. */
class Reader {
  constructor(readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new ScenarioError(this.file, path, problem);
  }

  object(v: unknown, path: string, allowed: readonly string[]): Obj {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(path, `expected an object, got ${describe(v)}`);
    for (const key of Object.keys(v as Obj)) {
      if (!allowed.includes(key)) this.fail(join(path, key), `unknown field "${key}" (known fields: ${allowed.join(", ")})`);
    }
    return v as Obj;
  }

  array(o: Obj, key: string, path: string): unknown[] {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(join(path, key), `expected an array, got ${describe(v)}`);
    return v;
  }

  str(o: Obj, key: string, path: string, opts: { required?: boolean; oneOf?: readonly string[]; pattern?: RegExp; hint?: string } = {}): string | undefined {
    const v = o[key];
    const at = join(path, key);
    if (v === undefined) {
      if (opts.required) this.fail(at, "is required");
      return undefined;
    }
    if (typeof v !== "string") this.fail(at, `expected a string, got ${describe(v)}`);
    if (opts.oneOf && !opts.oneOf.includes(v)) this.fail(at, `"${v}" is not one of ${opts.oneOf.map((x) => `"${x}"`).join(", ")}`);
    if (opts.pattern && !opts.pattern.test(v)) this.fail(at, `"${v}" is not ${opts.hint ?? "valid"}`);
    return v;
  }

  reqStr(o: Obj, key: string, path: string, opts: { oneOf?: readonly string[]; pattern?: RegExp; hint?: string } = {}): string {
    return this.str(o, key, path, { ...opts, required: true }) as string;
  }

  num(o: Obj, key: string, path: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    const at = join(path, key);
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(at, `expected a number, got ${describe(v)}`);
    if (opts.integer && !Number.isInteger(v)) this.fail(at, `expected a whole number, got ${v}`);
    if (opts.min !== undefined && v < opts.min) this.fail(at, `must be at least ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) this.fail(at, `must be at most ${opts.max}`);
    return v;
  }

  bool(o: Obj, key: string, path: string): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") this.fail(join(path, key), `expected true or false, got ${describe(v)}`);
    return v;
  }

  time(o: Obj, key: string, path: string): TimeSpec | undefined {
    return o[key] === undefined ? undefined : parseTimeSpec(o[key], this.file, join(path, key));
  }

  strings(o: Obj, key: string, path: string): string[] {
    return this.array(o, key, path).map((v, i) => {
      if (typeof v !== "string") this.fail(`${join(path, key)}[${i}]`, `expected a string, got ${describe(v)}`);
      return v;
    });
  }

  stringMap(o: Obj, key: string, path: string): Record<string, string> {
    const v = o[key];
    if (v === undefined) return {};
    const at = join(path, key);
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(at, `expected an object of strings, got ${describe(v)}`);
    for (const [k, x] of Object.entries(v as Obj)) {
      if (typeof x !== "string") this.fail(join(at, k), `expected a string, got ${describe(x)}`);
    }
    return { ...(v as Record<string, string>) };
  }

  /** A policy document: kept verbatim, since real ones are not always well-formed XML. */
  policy(o: Obj, key: string, path: string): string | undefined {
    const v = this.str(o, key, path);
    if (v !== undefined && !/<policies[\s>]/.test(v)) this.fail(join(path, key), "a policy document must contain a <policies> element");
    return v;
  }

  name(o: Obj, key: string, path: string): string {
    return this.reqStr(o, key, path, { pattern: RESOURCE_NAME, hint: "a resource name (letters, digits, . _ - ; =, at most 80)" });
  }

  unique<T extends { name: string }>(items: T[], path: string, what: string): T[] {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = item.name.toLowerCase();
      const prior = seen.get(k);
      if (prior !== undefined) this.fail(`${path}[${i}].name`, `duplicate ${what} "${item.name}" (also at ${path}[${prior}])`);
      seen.set(k, i);
    });
    return items;
  }
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function opt<T, K extends string>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

const loaded = new WeakSet<object>();

/** True for a scenario that {@link loadScenario} returned (so it need not be read again). */
export function isLoadedScenario(value: unknown): value is Scenario {
  return typeof value === "object" && value !== null && loaded.has(value);
}

/** Reads and validates a scenario from a file path or parsed JSON; throws {@link ScenarioError}. */
export function loadScenario(pathOrObject: string | object, file?: string): Scenario {
  if (isLoadedScenario(pathOrObject)) return pathOrObject;
  let raw: unknown = pathOrObject;
  const name = file ?? (typeof pathOrObject === "string" ? pathOrObject : "(scenario object)");
  if (typeof pathOrObject === "string") {
    let text: string;
    try {
      text = readFileSync(pathOrObject, "utf8");
    } catch (e) {
      throw new ScenarioError(name, "", `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ScenarioError(name, "", `not valid JSON: ${(e as Error).message}`);
    }
  }
  const scenario = readScenario(new Reader(name), raw);
  loaded.add(scenario);
  return scenario;
}

function readScenario(r: Reader, raw: unknown): Scenario {
  const root = r.object(raw, "", ["$schema", "description", "tenantId", "paging", "subscriptions", "workspaces", "instances", "faults"]);
  r.str(root, "description", "");
  r.str(root, "$schema", "");
  const tenantId = r.str(root, "tenantId", "", { pattern: GUID, hint: "a GUID" }) ?? "72f988bf-0000-4000-8000-00000000a1b2";
  const paging: Scenario["paging"] = {};
  if (root.paging !== undefined) {
    const p = r.object(root.paging, "paging", PAGED_COLLECTIONS);
    for (const key of PAGED_COLLECTIONS) {
      const n = r.num(p, key, "paging", { min: 1, max: 1000, integer: true });
      if (n !== undefined) paging[key] = n;
    }
  }
  const subscriptions = r.unique(
    r.array(root, "subscriptions", "").map((v, i) => {
      const at = `subscriptions[${i}]`;
      const o = r.object(v, at, ["id", "displayName"]);
      return { id: r.reqStr(o, "id", at, { pattern: GUID, hint: "a subscription GUID" }).toLowerCase(), displayName: r.reqStr(o, "displayName", at) };
    }).map((s) => ({ ...s, name: s.id })),
    "subscriptions",
    "subscription",
  ).map(({ id, displayName }) => ({ id, displayName }));
  if (subscriptions.length === 0) r.fail("subscriptions", "at least one Azure subscription is required");
  const subIds = new Set(subscriptions.map((s) => s.id));
  const subRef = (o: Obj, at: string): string => {
    const id = r.reqStr(o, "subscriptionId", at).toLowerCase();
    if (!subIds.has(id)) r.fail(join(at, "subscriptionId"), `names subscription "${id}", which is not in subscriptions[]`);
    return id;
  };

  const workspaces = r.unique(
    r.array(root, "workspaces", "").map((v, i) => {
      const at = `workspaces[${i}]`;
      const o = r.object(v, at, ["name", "subscriptionId", "resourceGroup", "location", "customerId"]);
      return {
        name: r.name(o, "name", at),
        subscriptionId: subRef(o, at),
        resourceGroup: r.name(o, "resourceGroup", at),
        location: r.reqStr(o, "location", at),
        customerId: r.reqStr(o, "customerId", at, { pattern: GUID, hint: "a workspace GUID" }).toLowerCase(),
      };
    }),
    "workspaces",
    "workspace",
  );
  const workspaceNames = new Set(workspaces.map((w) => w.name.toLowerCase()));

  const instances = r.unique(
    r.array(root, "instances", "").map((v, i) => readInstance(r, v, `instances[${i}]`, subRef, workspaceNames)),
    "instances",
    "instance",
  );
  const faults = r.array(root, "faults", "").map((v, i) => readFault(r, v, `faults[${i}]`));
  return { file: r.file, tenantId, paging, subscriptions, workspaces, instances, faults };
}

function readFault(r: Reader, v: unknown, at: string): FaultSpec {
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

const INSTANCE_KEYS = [
  "name", "subscriptionId", "resourceGroup", "location", "sku", "provisioningState", "targetProvisioningState", "platformVersion",
  "createdAtUtc", "publisherEmail", "publisherName", "tags", "identity", "zones", "additionalLocations", "virtualNetworkType",
  "publicNetworkAccess", "customProperties", "hostnames", "activity", "health", "diagnosticSettings", "policy", "users",
  "versionSets", "apis", "products", "subscriptions", "backends", "namedValues", "diagnostics", "loggers", "portalRevisions",
  "gateways", "certificates", "networkStatus", "description",
] as const;

const SKUS = ["Consumption", "Developer", "Basic", "Standard", "Premium", "Isolated", "BasicV2", "StandardV2", "PremiumV2"];
const PROVISIONING = ["Succeeded", "Failed", "Canceled", "Created", "Creating", "Updating", "Activating", "Deleting", "Terminating", "TransitioningToIsolated", "Upgrading", "Moving"];

function readInstance(r: Reader, v: unknown, at: string, subRef: (o: Obj, at: string) => string, workspaceNames: Set<string>): ScenarioInstance {
  const o = r.object(v, at, INSTANCE_KEYS);
  r.str(o, "description", at);
  const name = r.reqStr(o, "name", at, { pattern: /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/i, hint: "an APIM service name (letters, digits and hyphens, 2-50)" });
  const skuObj = r.object(o.sku, `${at}.sku`, ["name", "capacity"]);
  const sku = { name: r.reqStr(skuObj, "name", `${at}.sku`, { oneOf: SKUS }), capacity: r.num(skuObj, "capacity", `${at}.sku`, { min: 0, integer: true }) ?? 1 };
  const provisioningState = r.str(o, "provisioningState", at, { oneOf: PROVISIONING }) ?? "Succeeded";
  const targetProvisioningState = r.str(o, "targetProvisioningState", at, { oneOf: ["", ...PROVISIONING] }) ?? "";

  const hostnames = r.array(o, "hostnames", at).map((h, i) => {
    const p = `${at}.hostnames[${i}]`;
    const ho = r.object(h, p, ["type", "hostName", "certificateSource", "keyVaultId", "defaultSslBinding", "negotiateClientCertificate", "certificate"]);
    let certificate: ScenarioHostname["certificate"];
    if (ho.certificate !== undefined) {
      const co = r.object(ho.certificate, `${p}.certificate`, ["expiry", "thumbprint", "subject"]);
      const expiry = r.time(co, "expiry", `${p}.certificate`);
      if (!expiry) r.fail(`${p}.certificate.expiry`, "is required");
      certificate = { expiry, ...opt("thumbprint", r.str(co, "thumbprint", `${p}.certificate`, { pattern: /^[0-9A-F]{40}$/, hint: "a 40-digit upper-case hex SHA-1 thumbprint" })), ...opt("subject", r.str(co, "subject", `${p}.certificate`)) };
    }
    return {
      type: r.reqStr(ho, "type", p, { oneOf: ["Proxy", "Portal", "Management", "Scm", "DeveloperPortal", "ConfigurationApi"] }),
      hostName: r.reqStr(ho, "hostName", p, { pattern: /^[a-z0-9.*-]+$/i, hint: "a host name" }),
      ...opt("certificateSource", r.str(ho, "certificateSource", p, { oneOf: ["Managed", "KeyVault", "Custom", "BuiltIn"] })),
      ...opt("keyVaultId", r.str(ho, "keyVaultId", p, { pattern: /^https:\/\//, hint: "a Key Vault secret URL" })),
      ...opt("defaultSslBinding", r.bool(ho, "defaultSslBinding", p)),
      ...opt("negotiateClientCertificate", r.bool(ho, "negotiateClientCertificate", p)),
      ...opt("certificate", certificate),
    };
  });

  const activity = r.array(o, "activity", at).map((a, i) => {
    const p = `${at}.activity[${i}]`;
    const ao = r.object(a, p, ["operationName", "status", "subStatus", "time", "correlationId", "caller", "errorCode", "errorMessage"]);
    const time = r.time(ao, "time", p);
    if (!time) r.fail(`${p}.time`, "is required");
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

  let health: ScenarioHealth | undefined;
  if (o.health !== undefined) {
    const ho = r.object(o.health, `${at}.health`, ["availabilityState", "summary", "reasonType", "occurredTime", "detailedStatus"]);
    health = {
      availabilityState: r.reqStr(ho, "availabilityState", `${at}.health`, { oneOf: ["Available", "Degraded", "Unavailable", "Unknown"] }),
      ...opt("summary", r.str(ho, "summary", `${at}.health`)),
      ...opt("reasonType", r.str(ho, "reasonType", `${at}.health`)),
      ...opt("occurredTime", r.time(ho, "occurredTime", `${at}.health`)),
      ...opt("detailedStatus", r.str(ho, "detailedStatus", `${at}.health`)),
    };
  }

  const diagnosticSettings = r.unique(
    r.array(o, "diagnosticSettings", at).map((d, i) => {
      const p = `${at}.diagnosticSettings[${i}]`;
      const dobj = r.object(d, p, ["name", "workspace", "destinationType", "categories"]);
      const workspace = r.reqStr(dobj, "workspace", p);
      if (!workspaceNames.has(workspace.toLowerCase())) r.fail(`${p}.workspace`, `names workspace "${workspace}", which is not in workspaces[]`);
      const categories = r.strings(dobj, "categories", p);
      return {
        name: r.name(dobj, "name", p),
        workspace,
        ...opt("destinationType", r.str(dobj, "destinationType", p, { oneOf: ["Dedicated", "AzureDiagnostics"] }) as ScenarioDiagnosticSetting["destinationType"]),
        categories: categories.length > 0 ? categories : ["GatewayLogs"],
      };
    }),
    `${at}.diagnosticSettings`,
    "diagnostic setting",
  );

  const users = r.unique(
    r.array(o, "users", at).map((u, i) => {
      const p = `${at}.users[${i}]`;
      const uo = r.object(u, p, ["name", "email", "firstName", "lastName", "state", "registrationDate"]);
      return {
        name: r.name(uo, "name", p),
        email: r.reqStr(uo, "email", p, { pattern: /^[^@\s]+@[^@\s]+$/, hint: "an e-mail address" }),
        firstName: r.reqStr(uo, "firstName", p),
        lastName: r.reqStr(uo, "lastName", p),
        state: r.str(uo, "state", p, { oneOf: ["active", "blocked", "pending", "deleted"] }) ?? "active",
        ...opt("registrationDate", r.time(uo, "registrationDate", p)),
      };
    }),
    `${at}.users`,
    "user",
  );

  const loggers = r.unique(
    r.array(o, "loggers", at).map((l, i) => {
      const p = `${at}.loggers[${i}]`;
      const lo = r.object(l, p, ["name", "loggerType", "description", "resourceId", "isBuffered"]);
      return {
        name: r.name(lo, "name", p),
        loggerType: r.reqStr(lo, "loggerType", p, { oneOf: ["applicationInsights", "azureMonitor", "azureEventHub"] }),
        ...opt("description", r.str(lo, "description", p)),
        ...opt("resourceId", r.str(lo, "resourceId", p, { pattern: /^\/subscriptions\//i, hint: "an ARM resource id" })),
        ...opt("isBuffered", r.bool(lo, "isBuffered", p)),
      };
    }),
    `${at}.loggers`,
    "logger",
  );
  const loggerNames = new Set(loggers.map((l) => l.name.toLowerCase()));
  const readDiagnostics = (list: unknown[], base: string): ScenarioDiagnostic[] =>
    r.unique(
      list.map((d, i) => {
        const p = `${base}[${i}]`;
        const dobj = r.object(d, p, ["name", "logger", "alwaysLog", "samplingPercentage", "verbosity", "logClientIp", "headers", "bodyBytes"]);
        const logger = r.reqStr(dobj, "logger", p);
        if (!loggerNames.has(logger.toLowerCase())) r.fail(`${p}.logger`, `names logger "${logger}", which is not in this instance's loggers[]`);
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
      }),
      base,
      "diagnostic",
    );
  const diagnostics = readDiagnostics(r.array(o, "diagnostics", at), `${at}.diagnostics`);

  const versionSets = r.unique(
    r.array(o, "versionSets", at).map((vs, i) => {
      const p = `${at}.versionSets[${i}]`;
      const vo = r.object(vs, p, ["name", "displayName", "versioningScheme", "versionQueryName", "versionHeaderName", "description"]);
      const versioningScheme = r.reqStr(vo, "versioningScheme", p, { oneOf: ["Segment", "Query", "Header"] });
      const set = {
        name: r.name(vo, "name", p),
        displayName: r.reqStr(vo, "displayName", p),
        versioningScheme,
        ...opt("versionQueryName", r.str(vo, "versionQueryName", p)),
        ...opt("versionHeaderName", r.str(vo, "versionHeaderName", p)),
        ...opt("description", r.str(vo, "description", p)),
      };
      if (versioningScheme === "Query" && !set.versionQueryName) r.fail(`${p}.versionQueryName`, "is required when versioningScheme is Query");
      if (versioningScheme === "Header" && !set.versionHeaderName) r.fail(`${p}.versionHeaderName`, "is required when versioningScheme is Header");
      return set;
    }),
    `${at}.versionSets`,
    "version set",
  );
  const versionSetNames = new Set(versionSets.map((s) => s.name.toLowerCase()));

  const apis = r.unique(
    r.array(o, "apis", at).map((a, i) => {
      const p = `${at}.apis[${i}]`;
      const ao = r.object(a, p, [
        "name", "displayName", "path", "serviceUrl", "protocols", "subscriptionRequired", "apiVersion", "versionSet", "apiRevision",
        "isCurrent", "type", "description", "oauth", "operations", "policy", "diagnostics", "traffic",
      ]);
      const versionSet = r.str(ao, "versionSet", p);
      if (versionSet !== undefined && !versionSetNames.has(versionSet.toLowerCase())) r.fail(`${p}.versionSet`, `names version set "${versionSet}", which is not in this instance's versionSets[]`);
      const protocols = r.strings(ao, "protocols", p);
      protocols.forEach((x, j) => {
        if (!["http", "https", "ws", "wss"].includes(x)) r.fail(`${p}.protocols[${j}]`, `"${x}" is not one of "http", "https", "ws", "wss"`);
      });
      const operations = r.unique(
        r.array(ao, "operations", p).map((op, j) => {
          const q = `${p}.operations[${j}]`;
          const oo = r.object(op, q, ["name", "displayName", "method", "urlTemplate", "policy"]);
          const opName = r.name(oo, "name", q);
          return {
            name: opName,
            displayName: r.str(oo, "displayName", q) ?? opName,
            method: r.reqStr(oo, "method", q, { oneOf: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] }),
            urlTemplate: r.reqStr(oo, "urlTemplate", q, { pattern: /^\//, hint: "a URL template starting with /" }),
            ...opt("policy", r.policy(oo, "policy", q)),
          };
        }),
        `${p}.operations`,
        "operation",
      );
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
        diagnostics: readDiagnostics(r.array(ao, "diagnostics", p), `${p}.diagnostics`),
      };
      if (api.versionSet !== undefined && api.apiVersion === undefined) r.fail(`${p}.apiVersion`, "is required when the API is in a version set");
      if (ao.traffic !== undefined) {
        api.trafficRaw = ao.traffic;
        api.traffic = parseApiTraffic(ao.traffic, r.file, `${p}.traffic`, new Date());
      }
      return api;
    }),
    `${at}.apis`,
    "API",
  );
  const apiNames = new Set(apis.map((a) => a.name.toLowerCase()));

  const products = r.unique(
    r.array(o, "products", at).map((pr, i) => {
      const p = `${at}.products[${i}]`;
      const po = r.object(pr, p, ["name", "displayName", "description", "state", "subscriptionRequired", "approvalRequired", "subscriptionsLimit", "terms", "apis", "policy"]);
      const productApis = r.strings(po, "apis", p);
      productApis.forEach((x, j) => {
        if (!apiNames.has(x.toLowerCase())) r.fail(`${p}.apis[${j}]`, `names API "${x}", which is not in this instance's apis[]`);
      });
      return {
        name: r.name(po, "name", p),
        displayName: r.reqStr(po, "displayName", p),
        ...opt("description", r.str(po, "description", p)),
        state: r.str(po, "state", p, { oneOf: ["published", "notPublished"] }) ?? "published",
        subscriptionRequired: r.bool(po, "subscriptionRequired", p) ?? true,
        ...opt("approvalRequired", r.bool(po, "approvalRequired", p)),
        ...opt("subscriptionsLimit", r.num(po, "subscriptionsLimit", p, { min: 0, integer: true })),
        ...opt("terms", r.str(po, "terms", p)),
        apis: productApis,
        ...opt("policy", r.policy(po, "policy", p)),
      };
    }),
    `${at}.products`,
    "product",
  );
  const productNames = new Set(products.map((x) => x.name.toLowerCase()));
  const userNames = new Set(users.map((u) => u.name.toLowerCase()));

  const subscriptions = r.unique(
    r.array(o, "subscriptions", at).map((s, i) => {
      const p = `${at}.subscriptions[${i}]`;
      const so = r.object(s, p, ["name", "displayName", "scope", "owner", "state", "createdDate", "startDate", "expirationDate", "endDate", "notificationDate", "allowTracing"]);
      const scope = r.reqStr(so, "scope", p);
      const m = /^\/(apis|products)(?:\/([^/]+))?$/.exec(scope);
      if (!m || (m[1] === "products" && !m[2])) r.fail(`${p}.scope`, `"${scope}" is not a scope: use "/apis", "/apis/<api>" or "/products/<product>"`);
      if (m[2] !== undefined) {
        const known = m[1] === "apis" ? apiNames : productNames;
        if (!known.has(m[2].toLowerCase())) r.fail(`${p}.scope`, `names ${m[1] === "apis" ? "API" : "product"} "${m[2]}", which is not in this instance's ${m[1]}[]`);
      }
      const owner = r.str(so, "owner", p);
      if (owner !== undefined && !userNames.has(owner.toLowerCase())) r.fail(`${p}.owner`, `names user "${owner}", which is not in this instance's users[]`);
      return {
        name: r.name(so, "name", p),
        ...opt("displayName", r.str(so, "displayName", p)),
        scope,
        ...opt("owner", owner),
        state: r.str(so, "state", p, { oneOf: ["active", "suspended", "submitted", "rejected", "cancelled", "expired"] }) ?? "active",
        ...opt("createdDate", r.time(so, "createdDate", p)),
        ...opt("startDate", r.time(so, "startDate", p)),
        ...opt("expirationDate", r.time(so, "expirationDate", p)),
        ...opt("endDate", r.time(so, "endDate", p)),
        ...opt("notificationDate", r.time(so, "notificationDate", p)),
        ...opt("allowTracing", r.bool(so, "allowTracing", p)),
      };
    }),
    `${at}.subscriptions`,
    "subscription",
  );

  const backends = r.unique(
    r.array(o, "backends", at).map((b, i) => {
      const p = `${at}.backends[${i}]`;
      const bo = r.object(b, p, ["name", "url", "protocol", "description", "resourceId", "validateCertificateChain", "validateCertificateName", "credentials", "circuitBreaker"]);
      let credentials: ScenarioBackend["credentials"];
      if (bo.credentials !== undefined) {
        const q = `${p}.credentials`;
        const co = r.object(bo.credentials, q, ["header", "query", "authorization"]);
        const lists = (key: string): Record<string, string[]> | undefined => {
          if (co[key] === undefined) return undefined;
          const mo = r.object(co[key], join(q, key), Object.keys(co[key] as Obj));
          return Object.fromEntries(Object.keys(mo).map((k) => [k, r.strings(mo, k, join(q, key))]));
        };
        let authorization: { scheme: string; parameter: string } | undefined;
        if (co.authorization !== undefined) {
          const ao = r.object(co.authorization, `${q}.authorization`, ["scheme", "parameter"]);
          authorization = { scheme: r.reqStr(ao, "scheme", `${q}.authorization`), parameter: r.reqStr(ao, "parameter", `${q}.authorization`) };
        }
        credentials = { ...opt("header", lists("header")), ...opt("query", lists("query")), ...opt("authorization", authorization) };
      }
      return {
        name: r.name(bo, "name", p),
        url: r.reqStr(bo, "url", p, { pattern: /^(https?|fabric):\/\/[^\s]+$/, hint: "an absolute URL" }),
        protocol: r.str(bo, "protocol", p, { oneOf: ["http", "soap"] }) ?? "http",
        ...opt("description", r.str(bo, "description", p)),
        ...opt("resourceId", r.str(bo, "resourceId", p)),
        ...opt("validateCertificateChain", r.bool(bo, "validateCertificateChain", p)),
        ...opt("validateCertificateName", r.bool(bo, "validateCertificateName", p)),
        ...opt("credentials", credentials),
        ...opt("circuitBreaker", r.bool(bo, "circuitBreaker", p)),
      };
    }),
    `${at}.backends`,
    "backend",
  );

  const namedValues = r.unique(
    r.array(o, "namedValues", at).map((n, i) => {
      const p = `${at}.namedValues[${i}]`;
      const no = r.object(n, p, ["name", "displayName", "value", "secret", "tags", "keyVault"]);
      let keyVault: ScenarioNamedValue["keyVault"];
      if (no.keyVault !== undefined) {
        const q = `${p}.keyVault`;
        const ko = r.object(no.keyVault, q, ["secretIdentifier", "identityClientId", "lastStatus"]);
        let lastStatus: { code: string; message?: string; time?: TimeSpec } | undefined;
        if (ko.lastStatus !== undefined) {
          const lo = r.object(ko.lastStatus, `${q}.lastStatus`, ["code", "message", "time"]);
          lastStatus = { code: r.reqStr(lo, "code", `${q}.lastStatus`), ...opt("message", r.str(lo, "message", `${q}.lastStatus`)), ...opt("time", r.time(lo, "time", `${q}.lastStatus`)) };
        }
        keyVault = {
          secretIdentifier: r.reqStr(ko, "secretIdentifier", q, { pattern: /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/secrets\//i, hint: "a Key Vault secret URL (https://<vault>.vault.azure.net/secrets/<name>)" }),
          ...opt("identityClientId", r.str(ko, "identityClientId", q, { pattern: GUID, hint: "a GUID" })),
          ...opt("lastStatus", lastStatus),
        };
      }
      const nvName = r.name(no, "name", p);
      const nv: ScenarioNamedValue = {
        name: nvName,
        displayName: r.str(no, "displayName", p) ?? nvName,
        ...opt("value", r.str(no, "value", p)),
        secret: r.bool(no, "secret", p) ?? keyVault !== undefined,
        tags: r.strings(no, "tags", p),
        ...opt("keyVault", keyVault),
      };
      if (nv.keyVault && nv.value !== undefined) r.fail(`${p}.value`, "a Key Vault named value has no value of its own");
      if (!nv.keyVault && nv.value === undefined) r.fail(`${p}.value`, "is required unless keyVault is given");
      return nv;
    }),
    `${at}.namedValues`,
    "named value",
  );

  const portalRevisions = r.unique(
    r.array(o, "portalRevisions", at).map((x, i) => {
      const p = `${at}.portalRevisions[${i}]`;
      const po = r.object(x, p, ["name", "status", "isCurrent", "description", "statusDetails", "created", "updated"]);
      return {
        name: r.name(po, "name", p),
        status: r.reqStr(po, "status", p, { oneOf: ["pending", "publishing", "completed", "failed"] }),
        isCurrent: r.bool(po, "isCurrent", p) ?? false,
        ...opt("description", r.str(po, "description", p)),
        ...opt("statusDetails", r.str(po, "statusDetails", p)),
        ...opt("created", r.time(po, "created", p)),
        ...opt("updated", r.time(po, "updated", p)),
      };
    }),
    `${at}.portalRevisions`,
    "portal revision",
  );

  const gateways = r.unique(
    r.array(o, "gateways", at).map((g, i) => {
      const p = `${at}.gateways[${i}]`;
      const go = r.object(g, p, ["name", "description", "location"]);
      return { name: r.name(go, "name", p), ...opt("description", r.str(go, "description", p)), ...opt("location", r.str(go, "location", p)) };
    }),
    `${at}.gateways`,
    "gateway",
  );

  const certificates = r.unique(
    r.array(o, "certificates", at).map((c, i) => {
      const p = `${at}.certificates[${i}]`;
      const co = r.object(c, p, ["name", "subject", "thumbprint", "expirationDate", "keyVaultSecretId"]);
      const expirationDate = r.time(co, "expirationDate", p);
      if (!expirationDate) r.fail(`${p}.expirationDate`, "is required");
      return {
        name: r.name(co, "name", p),
        subject: r.reqStr(co, "subject", p),
        expirationDate,
        ...opt("thumbprint", r.str(co, "thumbprint", p, { pattern: /^[0-9A-F]{40}$/, hint: "a 40-digit upper-case hex SHA-1 thumbprint" })),
        ...opt("keyVaultSecretId", r.str(co, "keyVaultSecretId", p)),
      };
    }),
    `${at}.certificates`,
    "certificate",
  );

  let networkStatus: ScenarioNetworkLocation[] | undefined;
  if (o.networkStatus !== undefined) {
    networkStatus = r.array(o, "networkStatus", at).map((n, i) => {
      const p = `${at}.networkStatus[${i}]`;
      const no = r.object(n, p, ["location", "dnsServers", "dependencies"]);
      return {
        location: r.reqStr(no, "location", p),
        dnsServers: r.strings(no, "dnsServers", p),
        dependencies: r.array(no, "dependencies", p).map((d, j) => {
          const q = `${p}.dependencies[${j}]`;
          const dobj = r.object(d, q, ["name", "resourceType", "status", "isOptional", "error", "lastUpdated"]);
          return {
            name: r.reqStr(dobj, "name", q),
            status: r.reqStr(dobj, "status", q, { oneOf: ["success", "failure", "initializing"] }),
            isOptional: r.bool(dobj, "isOptional", q) ?? false,
            ...opt("resourceType", r.str(dobj, "resourceType", q)),
            ...opt("error", r.str(dobj, "error", q)),
            ...opt("lastUpdated", r.time(dobj, "lastUpdated", q)),
          };
        }),
      };
    });
  }

  const additionalLocations = r.array(o, "additionalLocations", at).map((l, i) => {
    const p = `${at}.additionalLocations[${i}]`;
    const lo = r.object(l, p, ["location", "skuCapacity", "zones"]);
    return { location: r.reqStr(lo, "location", p), skuCapacity: r.num(lo, "skuCapacity", p, { min: 1, integer: true }) ?? 1, zones: r.strings(lo, "zones", p) };
  });
  if (additionalLocations.length > 0 && sku.name !== "Premium") r.fail(`${at}.additionalLocations`, `only the Premium tier has additional regions; this instance is ${sku.name}`);

  return {
    name,
    subscriptionId: subRef(o, at),
    resourceGroup: r.name(o, "resourceGroup", at),
    location: r.reqStr(o, "location", at),
    sku,
    provisioningState,
    targetProvisioningState,
    ...opt("platformVersion", r.str(o, "platformVersion", at, { oneOf: ["stv1", "stv2", "stv2.1", "mtv1", "undetermined"] })),
    createdAtUtc: r.time(o, "createdAtUtc", at) ?? { offsetMs: -400 * 86_400_000 },
    publisherEmail: r.str(o, "publisherEmail", at) ?? "apim-platform@contoso.example",
    publisherName: r.str(o, "publisherName", at) ?? "Contoso",
    tags: r.stringMap(o, "tags", at),
    identity: r.str(o, "identity", at, { oneOf: ["None", "SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned"] }) ?? "None",
    zones: r.strings(o, "zones", at),
    additionalLocations,
    virtualNetworkType: r.str(o, "virtualNetworkType", at, { oneOf: ["None", "External", "Internal"] }) ?? "None",
    publicNetworkAccess: r.str(o, "publicNetworkAccess", at, { oneOf: ["Enabled", "Disabled"] }) ?? "Enabled",
    customProperties: r.stringMap(o, "customProperties", at),
    hostnames,
    activity,
    ...opt("health", health),
    diagnosticSettings,
    ...opt("policy", r.policy(o, "policy", at)),
    users,
    versionSets,
    apis,
    products,
    subscriptions,
    backends,
    namedValues,
    diagnostics,
    loggers,
    portalRevisions,
    gateways,
    certificates,
    ...opt("networkStatus", networkStatus),
  };
}
