import type { LogsTable } from "@azure/monitor-query-logs";
import type { CollectionFailure, LogDestination, ServiceInstance } from "../domain/snapshot";
import type { AuthLogGroup, InstanceTelemetry } from "../domain/telemetry";
import type { Logger } from "../domain/logger";
import type { AzureClients } from "./azure-clients";
import { kqlDatetime, kqlString } from "./kql-string";
import { mapLimit } from "./map-limit";
import { redactSecrets } from "./redact-secrets";
import { toCollectionFailure } from "./to-collection-failure";

/** How far back auth failures are read from gateway logs. */
export const AUTH_LOG_WINDOW_MINUTES = 30;
const TOP_VALUES = 5;
const MAX_ROWS = 5000;

/** The two tables gateway logs land in, with the column names each uses. */
export type GatewayLogTable = "ApiManagementGatewayLogs" | "AzureDiagnostics";

const COLUMNS: Record<GatewayLogTable, { resource: string; api: string; reason: string; code: string; caller: string; subscription: string; product: string; message: string }> = {
  ApiManagementGatewayLogs: {
    resource: "_ResourceId",
    api: "ApiId",
    reason: "LastErrorReason",
    code: "ResponseCode",
    caller: "CallerIpAddress",
    subscription: "ApimSubscriptionId",
    product: "ProductId",
    message: "LastErrorMessage",
  },
  AzureDiagnostics: {
    resource: "ResourceId",
    api: "apiId_s",
    reason: "lastError_reason_s",
    code: "responseCode_d",
    caller: "callerIpAddress_s",
    subscription: "apimSubscriptionId_s",
    product: "productId_s",
    message: "lastError_message_s",
  },
};

/**
 * The one query per workspace: 401/403 of the given instances in the window, counted by instance, API,
 * reason, code, caller, subscription and product, with a sample message. Instance ids enter only
 * through {@link kqlString}.
 */
export function authLogsQuery(table: GatewayLogTable, instanceIds: readonly string[], from: Date, to: Date): string {
  const c = COLUMNS[table];
  const lines = [table, `| where TimeGenerated between (${kqlDatetime(from)} .. ${kqlDatetime(to)})`];
  if (table === "AzureDiagnostics") lines.push("| where Category == 'GatewayLogs'");
  lines.push(`| where ${c.code} in (401, 403)`);
  // Resource ids are lower case in the dedicated table and upper case in AzureDiagnostics: compare with =~.
  if (instanceIds.length > 0) lines.push(`| where ${instanceIds.map((id) => `${c.resource} =~ ${kqlString(id)}`).join(" or ")}`);
  lines.push(
    `| summarize hits = count(), firstSeen = min(TimeGenerated), lastSeen = max(TimeGenerated), sample = take_any(${c.message}) by ${c.resource}, ${c.api}, ${c.reason}, ${c.code}, ${c.caller}, ${c.subscription}, ${c.product}`,
    `| top ${MAX_ROWS} by hits`,
  );
  return lines.join("\n");
}

function cell(row: unknown[], index: number | undefined): unknown {
  return index === undefined ? undefined : row[index];
}

const text = (v: unknown): string => (v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v));

function topOf(counts: Map<string, number>): { value: string; count: number }[] {
  return [...counts.entries()]
    .filter(([value]) => value.length > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_VALUES)
    .map(([value, count]) => ({ value, count }));
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * Folds the query's rows into {@link AuthLogGroup}s per instance (keyed by lower-case instance id):
 * one group per API, reason and response code, with the top callers, subscriptions and products, and a
 * sample message with anything token-like redacted.
 */
export function toAuthLogGroups(table: GatewayLogTable, result: LogsTable): Map<string, AuthLogGroup[]> {
  const c = COLUMNS[table];
  const index = new Map(result.columnDescriptors.map((d, i) => [(d.name ?? "").toLowerCase(), i]));
  const at = (name: string) => index.get(name.toLowerCase());
  const col = {
    resource: at(c.resource),
    api: at(c.api),
    reason: at(c.reason),
    code: at(c.code),
    caller: at(c.caller),
    subscription: at(c.subscription),
    product: at(c.product),
    hits: at("hits"),
    firstSeen: at("firstSeen"),
    lastSeen: at("lastSeen"),
    sample: at("sample"),
  };
  type Acc = { group: AuthLogGroup; callers: Map<string, number>; subs: Map<string, number>; products: Map<string, number> };
  const byInstance = new Map<string, Map<string, Acc>>();
  for (const row of result.rows) {
    if (!Array.isArray(row)) continue;
    const instanceKey = text(cell(row, col.resource)).toLowerCase();
    const hits = Number(cell(row, col.hits));
    const responseCode = Number(cell(row, col.code));
    if (!instanceKey || !Number.isFinite(hits) || hits <= 0 || !Number.isFinite(responseCode)) continue;
    const apiId = text(cell(row, col.api));
    const reason = text(cell(row, col.reason));
    const groupKey = `${apiId}|${reason}|${responseCode}`;
    const groups = byInstance.get(instanceKey) ?? new Map<string, Acc>();
    byInstance.set(instanceKey, groups);
    let acc = groups.get(groupKey);
    if (!acc) {
      acc = {
        group: { apiId, lastErrorReason: reason, responseCode, count: 0, topCallerIps: [], topSubscriptions: [], topProducts: [] },
        callers: new Map(),
        subs: new Map(),
        products: new Map(),
      };
      groups.set(groupKey, acc);
    }
    acc.group.count += hits;
    bump(acc.callers, text(cell(row, col.caller)), hits);
    bump(acc.subs, text(cell(row, col.subscription)), hits);
    bump(acc.products, text(cell(row, col.product)), hits);
    const sample = text(cell(row, col.sample));
    if (!acc.group.sampleMessage && sample) acc.group.sampleMessage = redactSecrets(sample).slice(0, 500);
    const first = text(cell(row, col.firstSeen));
    const last = text(cell(row, col.lastSeen));
    if (first && (!acc.group.firstSeen || first < acc.group.firstSeen)) acc.group.firstSeen = first;
    if (last && (!acc.group.lastSeen || last > acc.group.lastSeen)) acc.group.lastSeen = last;
  }
  const out = new Map<string, AuthLogGroup[]>();
  for (const [instanceKey, groups] of byInstance) {
    out.set(
      instanceKey,
      [...groups.values()]
        .map((a) => ({ ...a.group, topCallerIps: topOf(a.callers), topSubscriptions: topOf(a.subs), topProducts: topOf(a.products) }))
        .sort((x, y) => y.count - x.count),
    );
  }
  return out;
}

/** Which instances each workspace (and table) should be asked about. */
export function workspacePlan(
  instances: readonly ServiceInstance[],
  destinations: ReadonlyMap<string, LogDestination[] | undefined>,
  configuredWorkspaceIds: readonly string[],
): { workspaceId: string; table: GatewayLogTable; instances: ServiceInstance[] }[] {
  const plan = new Map<string, { workspaceId: string; table: GatewayLogTable; instances: ServiceInstance[] }>();
  const add = (workspaceId: string, table: GatewayLogTable, instance: ServiceInstance) => {
    const key = `${workspaceId.toLowerCase()}|${table}`;
    const entry = plan.get(key) ?? { workspaceId, table, instances: [] };
    if (!entry.instances.includes(instance)) entry.instances.push(instance);
    plan.set(key, entry);
  };
  for (const instance of instances) {
    let found = false;
    for (const d of destinations.get(instance.id) ?? []) {
      if (!d.workspaceId) continue;
      add(d.workspaceId, d.destinationType === "Dedicated" ? "ApiManagementGatewayLogs" : "AzureDiagnostics", instance);
      found = true;
    }
    // Configured workspaces stand in where diagnostic settings name none (or could not be read).
    if (!found) for (const ws of configuredWorkspaceIds) add(ws, "ApiManagementGatewayLogs", instance);
  }
  return [...plan.values()];
}

/**
 * Runs one gateway-log query per workspace and attaches the auth groups to each instance's telemetry.
 * A failed workspace becomes a `logs` failure for each of its instances.
 */
export async function readAuthLogs(
  clients: AzureClients,
  plan: ReturnType<typeof workspacePlan>,
  telemetry: Map<string, InstanceTelemetry>,
  opts: { now: Date; to: Date; log: Logger; concurrency: number },
): Promise<CollectionFailure[]> {
  const failures: CollectionFailure[] = [];
  const from = new Date(opts.to.getTime() - AUTH_LOG_WINDOW_MINUTES * 60_000);
  await mapLimit(plan, opts.concurrency, async (entry) => {
    try {
      const query = authLogsQuery(entry.table, entry.instances.map((i) => i.id), from, opts.to);
      const result = await clients.logs().queryWorkspace(entry.workspaceId, query, { startTime: from, endTime: opts.to });
      let table: LogsTable | undefined;
      if (result.status === "Success") table = result.tables[0];
      else {
        opts.log.warn("gateway log query returned partial results", { workspaceId: entry.workspaceId });
        table = result.partialTables[0];
      }
      const groups = table ? toAuthLogGroups(entry.table, table) : new Map<string, AuthLogGroup[]>();
      for (const instance of entry.instances) {
        const t = telemetry.get(instance.id);
        if (!t) continue;
        const mine = groups.get(instance.id.toLowerCase()) ?? [];
        // An instance logging to two workspaces keeps the richer answer.
        if (!t.authLogs || t.authLogs.groups.length < mine.length) t.authLogs = { table: entry.table, workspaceId: entry.workspaceId, groups: mine };
      }
    } catch (err) {
      for (const instance of entry.instances) failures.push(toCollectionFailure(err, { instanceId: instance.id, instance: instance.name, part: "logs", at: opts.now }));
    }
  });
  return failures;
}
