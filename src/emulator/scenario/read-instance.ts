/** One `Microsoft.ApiManagement/service` of a scenario: its own fields, then each child collection's reader. */
import type { TimeSpec } from "../relative-time";
import { readActivity, readHealth, type ScenarioActivity, type ScenarioHealth } from "./read-activity";
import { readApis, type ScenarioApi } from "./read-apis";
import { readBackends, type ScenarioBackend } from "./read-backends";
import { readContracts, type ScenarioSubscriptionContract } from "./read-contracts";
import { readDiagnosticSettings, type ScenarioDiagnosticSetting } from "./read-diagnostic-settings";
import { readDiagnostics, readLoggers, type ScenarioDiagnostic, type ScenarioLogger } from "./read-diagnostics";
import { readHostnames, type ScenarioHostname } from "./read-hostnames";
import { readNamedValues, type ScenarioNamedValue } from "./read-named-values";
import {
  readCertificates,
  readGateways,
  readNetworkStatus,
  readPortalRevisions,
  type ScenarioCertificate,
  type ScenarioGateway,
  type ScenarioNetworkLocation,
  type ScenarioPortalRevision,
} from "./read-platform";
import { readProducts, type ScenarioProduct } from "./read-products";
import { readUsers, type ScenarioUser } from "./read-users";
import { readVersionSets, type ScenarioVersionSet } from "./read-version-sets";
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

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

/** What an instance may refer to outside itself. */
export interface InstanceRefs {
  /** Checks and normalises `subscriptionId`. */
  subRef(o: Obj, at: string): string;
  /** Workspace names, lower case. */
  workspaceNames: ReadonlySet<string>;
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

const names = (items: readonly { name: string }[]): Set<string> => new Set(items.map((x) => x.name.toLowerCase()));

/** Reads one entry of `instances[]`. */
export function readInstance(r: ScenarioReader, v: unknown, at: string, refs: InstanceRefs): ScenarioInstance {
  const o = r.object(v, at, INSTANCE_KEYS);
  r.str(o, "description", at);
  const name = r.reqStr(o, "name", at, { pattern: /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/i, hint: "an APIM service name (letters, digits and hyphens, 2-50)" });
  const skuObj = r.object(o.sku, `${at}.sku`, ["name", "capacity"]);
  const sku = { name: r.reqStr(skuObj, "name", `${at}.sku`, { oneOf: SKUS }), capacity: r.num(skuObj, "capacity", `${at}.sku`, { min: 0, integer: true }) ?? 1 };

  const users = readUsers(r, o, at);
  const loggers = readLoggers(r, o, at);
  const loggerNames = names(loggers);
  const versionSets = readVersionSets(r, o, at);
  const apis = readApis(r, o, at, names(versionSets), loggerNames);
  const products = readProducts(r, o, at, names(apis));
  const subscriptions = readContracts(r, o, at, { apis: names(apis), products: names(products), users: names(users) });

  const additionalLocations = r.array(o, "additionalLocations", at).map((l, i) => {
    const p = `${at}.additionalLocations[${i}]`;
    const lo = r.object(l, p, ["location", "skuCapacity", "zones"]);
    return { location: r.reqStr(lo, "location", p), skuCapacity: r.num(lo, "skuCapacity", p, { min: 1, integer: true }) ?? 1, zones: r.strings(lo, "zones", p) };
  });
  if (additionalLocations.length > 0 && sku.name !== "Premium") r.fail(`${at}.additionalLocations`, `only the Premium tier has additional regions; this instance is ${sku.name}`);

  return {
    name,
    subscriptionId: refs.subRef(o, at),
    resourceGroup: r.name(o, "resourceGroup", at),
    location: r.reqStr(o, "location", at),
    sku,
    provisioningState: r.str(o, "provisioningState", at, { oneOf: PROVISIONING }) ?? "Succeeded",
    targetProvisioningState: r.str(o, "targetProvisioningState", at, { oneOf: ["", ...PROVISIONING] }) ?? "",
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
    hostnames: readHostnames(r, o, at),
    activity: readActivity(r, o, at),
    ...opt("health", readHealth(r, o, at)),
    diagnosticSettings: readDiagnosticSettings(r, o, at, refs.workspaceNames),
    ...opt("policy", r.policy(o, "policy", at)),
    users,
    versionSets,
    apis,
    products,
    subscriptions,
    backends: readBackends(r, o, at),
    namedValues: readNamedValues(r, o, at),
    diagnostics: readDiagnostics(r, o, at, loggerNames),
    loggers,
    portalRevisions: readPortalRevisions(r, o, at),
    gateways: readGateways(r, o, at),
    certificates: readCertificates(r, o, at),
    ...opt("networkStatus", readNetworkStatus(r, o, at)),
  };
}
