/**
 * The scenario file: an APIM estate described in JSON, validated strictly. Format: scenarios/README.md.
 * Each resource has its own reader under `scenario/`; this file reads the root and ties them together.
 */
import { readFileSync } from "node:fs";
import { ScenarioError } from "./scenario-error";
import type { FaultSpec } from "./faults";
import { readWorkspaces, type ScenarioWorkspace } from "./scenario/read-diagnostic-settings";
import { readFaults } from "./scenario/read-faults";
import { readInstance, type ScenarioInstance } from "./scenario/read-instance";
import { GUID, join, ScenarioReader, type Obj } from "./scenario/scenario-reader";
export type { ScenarioActivity, ScenarioHealth } from "./scenario/read-activity";
export type { ScenarioApi, ScenarioOperation } from "./scenario/read-apis";
export type { ScenarioBackend } from "./scenario/read-backends";
export type { ScenarioSubscriptionContract } from "./scenario/read-contracts";
export type { ScenarioDiagnosticSetting, ScenarioWorkspace } from "./scenario/read-diagnostic-settings";
export type { ScenarioDiagnostic, ScenarioLogger } from "./scenario/read-diagnostics";
export type { ScenarioHostname } from "./scenario/read-hostnames";
export type { ScenarioInstance } from "./scenario/read-instance";
export type { ScenarioNamedValue } from "./scenario/read-named-values";
export type { ScenarioCertificate, ScenarioGateway, ScenarioNetworkLocation, ScenarioPortalRevision } from "./scenario/read-platform";
export type { ScenarioProduct } from "./scenario/read-products";
export type { ScenarioUser } from "./scenario/read-users";
export type { ScenarioVersionSet } from "./scenario/read-version-sets";

/** An Azure subscription holding instances. */
export interface ScenarioSubscription {
  id: string;
  displayName: string;
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
  const scenario = readScenario(new ScenarioReader(name), raw);
  loaded.add(scenario);
  return scenario;
}

function readScenario(r: ScenarioReader, raw: unknown): Scenario {
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

  const workspaces = readWorkspaces(r, root, subRef);
  const workspaceNames = new Set(workspaces.map((w) => w.name.toLowerCase()));

  const instances = r.list(root, "instances", "", "instance", (v, at) => readInstance(r, v, at, { subRef, workspaceNames }));
  const faults = readFaults(r, root);
  return { file: r.file, tenantId, paging, subscriptions, workspaces, instances, faults };
}

