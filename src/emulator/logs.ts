/**
 * Log Analytics gateway logs generated from the traffic model: `ApiManagementGatewayLogs` (resource-specific)
 * or legacy `AzureDiagnostics`, queried with the KQL subset of `kql.ts`.
 */
import type { TelemetryInstance } from "./telemetry-routes";
import { type Expr, KqlError, type KqlValue, parseKql, semanticError } from "./kql";
import { type KqlColumn, type KqlRow, constantValue, display, runKql } from "./kql-eval";
import {
  type GeneratedRequest,
  type MinuteCell,
  callerSpans,
  cellRequests,
  hashString,
  mixHash,
  trafficMinute,
  unitOf,
} from "./traffic-generate";
import type { Caller } from "./traffic";

const MINUTE = 60_000;
/** How far back a query with no time bound reaches, like a workspace's default interactive retention window. */
const DEFAULT_LOOKBACK = 2 * 86_400_000;

const GATEWAY_COLUMNS: KqlColumn[] = [
  { name: "TenantId", type: "string" },
  { name: "TimeGenerated", type: "datetime" },
  { name: "OperationName", type: "string" },
  { name: "CorrelationId", type: "string" },
  { name: "Region", type: "string" },
  { name: "IsRequestSuccess", type: "bool" },
  { name: "Category", type: "string" },
  { name: "TotalTime", type: "long" },
  { name: "CallerIpAddress", type: "string" },
  { name: "Method", type: "string" },
  { name: "Url", type: "string" },
  { name: "ClientProtocol", type: "string" },
  { name: "ResponseCode", type: "int" },
  { name: "BackendMethod", type: "string" },
  { name: "BackendUrl", type: "string" },
  { name: "BackendResponseCode", type: "int" },
  { name: "BackendProtocol", type: "string" },
  { name: "BackendTime", type: "long" },
  { name: "ApiId", type: "string" },
  { name: "OperationId", type: "string" },
  { name: "ProductId", type: "string" },
  { name: "UserId", type: "string" },
  { name: "ApimSubscriptionId", type: "string" },
  { name: "BackendId", type: "string" },
  { name: "LastErrorReason", type: "string" },
  { name: "LastErrorMessage", type: "string" },
  { name: "LastErrorSource", type: "string" },
  { name: "LastErrorSection", type: "string" },
  { name: "ApiRevision", type: "string" },
  { name: "ClientTlsVersion", type: "string" },
  { name: "SourceSystem", type: "string" },
  { name: "Type", type: "string" },
  { name: "_ResourceId", type: "string" },
  { name: "_SubscriptionId", type: "string" },
];

const DIAGNOSTICS_COLUMNS: KqlColumn[] = [
  { name: "TenantId", type: "string" },
  { name: "TimeGenerated", type: "datetime" },
  { name: "ResourceId", type: "string" },
  { name: "Category", type: "string" },
  { name: "ResourceGroup", type: "string" },
  { name: "SubscriptionId", type: "string" },
  { name: "ResourceProvider", type: "string" },
  { name: "Resource", type: "string" },
  { name: "ResourceType", type: "string" },
  { name: "OperationName", type: "string" },
  { name: "CorrelationId", type: "string" },
  { name: "DurationMs", type: "real" },
  { name: "Region_s", type: "string" },
  { name: "isRequestSuccess_b", type: "bool" },
  { name: "callerIpAddress_s", type: "string" },
  { name: "method_s", type: "string" },
  { name: "url_s", type: "string" },
  { name: "responseCode_d", type: "real" },
  { name: "backendMethod_s", type: "string" },
  { name: "backendUrl_s", type: "string" },
  { name: "backendResponseCode_d", type: "real" },
  { name: "backendTime_d", type: "real" },
  { name: "apiId_s", type: "string" },
  { name: "operationId_s", type: "string" },
  { name: "productId_s", type: "string" },
  { name: "userId_s", type: "string" },
  { name: "apimSubscriptionId_s", type: "string" },
  { name: "backendId_s", type: "string" },
  { name: "lastError_reason_s", type: "string" },
  { name: "lastError_message_s", type: "string" },
  { name: "lastError_source_s", type: "string" },
  { name: "lastError_section_s", type: "string" },
  { name: "SourceSystem", type: "string" },
  { name: "Type", type: "string" },
  { name: "_ResourceId", type: "string" },
];

const PER_REQUEST = new Set([
  "TimeGenerated",
  "CorrelationId",
  "TotalTime",
  "BackendTime",
  "DurationMs",
  "backendTime_d",
]);

/** An answer of the query API: the status and its JSON body. */
export interface LogsAnswer {
  status: number;
  body: unknown;
}

/** Answers a Log Analytics query (`{query, timespan}`) against a workspace id. */
export function queryLogs(workspaceId: string, body: unknown, estate: TelemetryInstance[], now: Date): LogsAnswer {
  const members = estate.filter((i) => i.workspace && i.workspace.customerId.toLowerCase() === workspaceId.toLowerCase());
  if (members.length === 0) {
    return {
      status: 404,
      body: {
        error: {
          code: "WorkspaceNotFoundError",
          message: `The workspace could not be found`,
          innererror: { code: "ResourceNotFoundError", message: `Workspace '${workspaceId}' was not found.` },
        },
      },
    };
  }
  const req = (typeof body === "object" && body !== null ? body : {}) as { query?: unknown; timespan?: unknown };
  if (typeof req.query !== "string" || req.query.trim() === "") {
    return badArgument("The request had some invalid properties", { code: "BadArgumentError", message: "A query is required." });
  }
  const span = parseTimespan(typeof req.timespan === "string" ? req.timespan : undefined, now);
  if (!span) {
    return badArgument("The request had some invalid properties", {
      code: "InvalidTimespan",
      message: `Timespan '${String(req.timespan)}' is not an ISO 8601 interval or duration.`,
    });
  }
  try {
    const query = parseKql(req.query);
    const tables = new Set(members.map((m) => m.workspace!.table));
    const table = query.table === "ApiManagementGatewayLogs" || query.table === "AzureDiagnostics" ? query.table : undefined;
    if (!table) {
      throw semanticError(req.query, 0, query.table, `'${query.table}': Failed to resolve table expression named '${query.table}'`);
    }
    const bounds = narrow(span, query.ops, now);
    const rows: KqlRow[] = [];
    if (tables.has(table)) {
      for (const inst of members) {
        if (inst.workspace!.table === table) rows.push(...instanceRows(inst, table, bounds.from, bounds.to, now));
      }
    }
    const result = runKql(query, req.query, {
      columns: table === "AzureDiagnostics" ? DIAGNOSTICS_COLUMNS : GATEWAY_COLUMNS,
      perRequest: PER_REQUEST,
      rows,
    }, now);
    return {
      status: 200,
      body: {
        tables: [
          {
            name: "PrimaryResult",
            columns: result.columns,
            rows: result.rows.map((r) => r.map(wireValue)),
          },
        ],
      },
    };
  } catch (err) {
    if (err instanceof KqlError) {
      const syntax = err.kind === "syntax";
      return badArgument("The request had some invalid properties", {
        code: syntax ? "SyntaxError" : "SemanticError",
        message: syntax ? "A recognition error occurred in the query." : "A semantic error occurred.",
        innererror: {
          code: syntax ? "SYN0002" : "SEM0100",
          message: err.message,
          line: err.line,
          pos: err.pos,
          token: err.token,
        },
      });
    }
    throw err;
  }
}

function badArgument(message: string, inner: Record<string, unknown>): LogsAnswer {
  return { status: 400, body: { error: { code: "BadArgumentError", message, innererror: inner } } };
}

function wireValue(v: KqlValue): unknown {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return display(v);
}

const DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || text === "P" || text.endsWith("T")) return undefined;
  return (
    Number(m[1] ?? 0) * 86_400_000 + Number(m[2] ?? 0) * 3_600_000 + Number(m[3] ?? 0) * 60_000 + Number(m[4] ?? 0) * 1000
  );
}

/** Reads the body's `timespan`: `PT1H` (ending now), `start/end`, `start/PT1H`, `PT1H/end`; absent means unbounded. */
export function parseTimespan(text: string | undefined, now: Date): { from: number; to: number } | undefined {
  if (text === undefined) return { from: -Infinity, to: Infinity };
  const parts = text.split("/");
  const time = (s: string): number | undefined => {
    const t = Date.parse(s);
    return Number.isNaN(t) || !/^\d{4}-/.test(s) ? undefined : t;
  };
  if (parts.length === 1) {
    const d = durationMs(parts[0]!);
    return d === undefined ? undefined : { from: now.getTime() - d, to: now.getTime() };
  }
  if (parts.length !== 2) return undefined;
  const [a, b] = parts as [string, string];
  const ta = time(a);
  const tb = time(b);
  if (ta !== undefined && tb !== undefined) return ta < tb ? { from: ta, to: tb } : undefined;
  if (ta !== undefined) {
    const d = durationMs(b);
    return d === undefined ? undefined : { from: ta, to: ta + d };
  }
  if (tb !== undefined) {
    const d = durationMs(a);
    return d === undefined ? undefined : { from: tb - d, to: tb };
  }
  return undefined;
}

/** Tightens the window with the leading `where TimeGenerated >/</between ...` conditions, so only those minutes are generated. */
function narrow(span: { from: number; to: number }, ops: ReturnType<typeof parseKql>["ops"], now: Date): { from: number; to: number } {
  let from = span.from;
  let to = Math.min(span.to, now.getTime() + 1);
  const visit = (e: Expr): void => {
    if (e.type === "bin" && e.op === "and") {
      visit(e.left);
      visit(e.right);
      return;
    }
    if (e.type === "between" && !e.negate && e.value.type === "col" && e.value.name === "TimeGenerated") {
      const lo = constantValue(e.low, now);
      const hi = constantValue(e.high, now);
      if (lo instanceof Date) from = Math.max(from, lo.getTime());
      if (hi instanceof Date) to = Math.min(to, hi.getTime() + 1);
      return;
    }
    if (e.type !== "bin" || e.left.type !== "col" || e.left.name !== "TimeGenerated") return;
    const v = constantValue(e.right, now);
    if (!(v instanceof Date)) return;
    if (e.op === ">" || e.op === ">=") from = Math.max(from, v.getTime());
    if (e.op === "<" || e.op === "<=") to = Math.min(to, v.getTime() + 1);
  };
  for (const op of ops) {
    if (op.op !== "where") break;
    visit(op.pred);
  }
  if (!Number.isFinite(from)) from = to - DEFAULT_LOOKBACK;
  return { from, to };
}

function instanceRows(inst: TelemetryInstance, table: string, from: number, to: number, now: Date): KqlRow[] {
  const rows: KqlRow[] = [];
  const nowMs = now.getTime();
  const first = Math.floor(from / MINUTE) * MINUTE;
  for (const api of inst.apis) {
    const traffic = api.traffic;
    if (!traffic) continue;
    for (let minute = first; minute < to && minute < nowMs; minute += MINUTE) {
      const mt = trafficMinute(api.name, traffic, minute, nowMs);
      for (const cell of mt.cells) {
        if (cell.visible === 0) continue;
        const spans = callerSpans(api.name, traffic, minute, cell, from, to);
        // The requests of a cell are generated once and shared by its callers' rows.
        let requests: GeneratedRequest[] | undefined;
        const cellRequestsOnce = (): GeneratedRequest[] => (requests ??= cellRequests(api.name, traffic, mt, cell));
        spans.forEach(({ n, first, last }, ci) => {
          if (n === 0) return;
          const caller = cell.callers[ci]!;
          const values = constantColumns(inst, api.name, table, cell, caller, ci, minute);
          const expand = (): Record<string, KqlValue>[] => {
            const out: Record<string, KqlValue>[] = [];
            for (const r of cellRequestsOnce()) {
              if (r.callerIndex !== ci || r.time < from || r.time >= to) continue;
              out.push(requestColumns(table, r));
            }
            return out;
          };
          rows.push({ values, n, minute, timeRange: [first, last], expand });
        });
      }
    }
  }
  return rows;
}

function requestColumns(table: string, r: GeneratedRequest): Record<string, KqlValue> {
  if (table === "AzureDiagnostics") {
    return { TimeGenerated: new Date(r.time), CorrelationId: r.correlationId, DurationMs: r.totalMs, backendTime_d: r.backendMs };
  }
  return { TimeGenerated: new Date(r.time), CorrelationId: r.correlationId, TotalTime: r.totalMs, BackendTime: r.backendMs };
}

function armParts(id: string): { subscription: string; group: string; name: string } {
  const m = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)/i.exec(id);
  return { subscription: m?.[1] ?? "", group: m?.[2] ?? "", name: m?.[3] ?? "" };
}

const SOURCES: Record<string, { source: string; section: string }> = {
  BackendConnectionFailure: { source: "forward-request", section: "backend" },
  ClientConnectionFailure: { source: "forward-request", section: "backend" },
  Timeout: { source: "forward-request", section: "backend" },
  SubscriptionKeyNotFound: { source: "authorization", section: "inbound" },
  SubscriptionKeyInvalid: { source: "authorization", section: "inbound" },
  OperationNotFound: { source: "configuration", section: "inbound" },
  RateLimitExceeded: { source: "rate-limit", section: "inbound" },
  QuotaExceeded: { source: "quota", section: "inbound" },
};

function fakeJwtFragment(seed: number): string {
  const b64 = (s: string): string => Buffer.from(s).toString("base64url");
  const kid = (seed >>> 0).toString(36).toUpperCase().padStart(7, "X");
  return `${b64(`{"alg":"RS256","kid":"${kid}","typ":"JWT"}`)}.${b64(`{"aud":"api://orders","iss":"https://sts`).slice(0, 28)}`;
}

/** The `LastErrorMessage` of a cell as one caller sees it; some token failures quote the token. */
function errorMessage(cell: MinuteCell, callerIndex: number, minute: number): string {
  if (cell.message) return cell.message;
  const reason = cell.reason ?? "";
  const quoteToken = callerIndex % 2 === 0;
  const token = `Bearer ${fakeJwtFragment(mixHash(hashString(reason), callerIndex, Math.floor(minute / 3_600_000)))}`;
  const withToken = (text: string): string => (quoteToken ? `${text} Token: '${token}...'.` : text);
  switch (reason) {
    case "":
      return "";
    case "TokenNotPresent":
      return "JWT not present.";
    case "TokenExpired":
      return withToken(`Lifetime validation failed. The token expired at ${new Date(minute - 3_600_000).toISOString()}. Access denied.`);
    case "TokenAudienceNotAllowed":
      return withToken("Audience validation failed. Audience 'api://orders-legacy' did not match the allowed audiences. Access denied.");
    case "TokenIssuerNotAllowed":
      return withToken("Issuer validation failed. The issuer is not one of the configured issuers. Access denied.");
    case "TokenSignatureKeyNotFound":
      return withToken("Signature validation failed. Unable to match the key id in the token header to a signing key. Access denied.");
    case "TokenSignatureInvalid":
      return withToken("Signature validation failed. The token signature does not verify. Access denied.");
    case "TokenClaimNotFound":
      return "JWT token is missing the following claims: scp. Access denied.";
    case "SubscriptionKeyNotFound":
      return "Access denied due to missing subscription key. Make sure to include subscription key when making requests to this API.";
    case "SubscriptionKeyInvalid":
      return "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";
    case "BackendConnectionFailure":
      return "The underlying connection was closed: Could not establish a connection to the backend.";
    case "OperationNotFound":
      return "Unable to match incoming request to an operation.";
    default:
      return `${reason}.`;
  }
}

function constantColumns(
  inst: TelemetryInstance,
  apiName: string,
  table: string,
  cell: MinuteCell,
  caller: Caller,
  callerIndex: number,
  minute: number,
): Record<string, KqlValue> {
  const { subscription, group, name } = armParts(inst.id);
  const host = `${inst.name}.azure-api.net`;
  const reason = cell.reason ?? "";
  const source = reason.startsWith("Token") || reason === "JwtInvalid"
    ? { source: "validate-jwt", section: "inbound" }
    : (SOURCES[reason] ?? { source: reason ? "policy" : "", section: reason ? "inbound" : "" });
  const message = errorMessage(cell, callerIndex, minute);
  const method = unitOf(mixHash(hashString(cell.key), callerIndex)) < 0.7 ? "GET" : "POST";
  const url = `https://${host}/${apiName}/items`;
  const backendUrl = cell.backend === undefined ? "" : `https://${apiName}.backend.internal/items`;
  const ok = cell.code < 400;
  const tenant = inst.workspace?.customerId ?? "";
  if (table === "AzureDiagnostics") {
    return {
      TenantId: tenant,
      ResourceId: inst.id.toUpperCase(),
      Category: "GatewayLogs",
      ResourceGroup: group.toUpperCase(),
      SubscriptionId: subscription,
      ResourceProvider: "MICROSOFT.APIMANAGEMENT",
      Resource: name.toUpperCase(),
      ResourceType: "SERVICE",
      OperationName: "Microsoft.ApiManagement/GatewayLogs",
      Region_s: inst.location,
      isRequestSuccess_b: ok,
      callerIpAddress_s: caller.ip,
      method_s: method,
      url_s: url,
      responseCode_d: cell.code,
      backendMethod_s: cell.backend === undefined ? "" : method,
      backendUrl_s: backendUrl,
      backendResponseCode_d: cell.backend ?? null,
      apiId_s: apiName,
      operationId_s: method === "GET" ? "list-items" : "create-item",
      productId_s: caller.product ?? "",
      userId_s: caller.user ?? "",
      apimSubscriptionId_s: caller.subscription ?? "",
      backendId_s: cell.backend === undefined ? "" : `${apiName}-backend`,
      lastError_reason_s: reason,
      lastError_message_s: message,
      lastError_source_s: source.source,
      lastError_section_s: source.section,
      SourceSystem: "Azure",
      Type: "AzureDiagnostics",
      _ResourceId: inst.id.toLowerCase(),
    };
  }
  return {
    TenantId: tenant,
    OperationName: "Microsoft.ApiManagement/GatewayLogs",
    Region: inst.location,
    IsRequestSuccess: ok,
    Category: "GatewayLogs",
    CallerIpAddress: caller.ip,
    Method: method,
    Url: url,
    ClientProtocol: "HTTP/1.1",
    ResponseCode: cell.code,
    BackendMethod: cell.backend === undefined ? "" : method,
    BackendUrl: backendUrl,
    BackendResponseCode: cell.backend ?? null,
    BackendProtocol: cell.backend === undefined ? "" : "HTTP/1.1",
    ApiId: apiName,
    OperationId: method === "GET" ? "list-items" : "create-item",
    ProductId: caller.product ?? "",
    UserId: caller.user ?? "",
    ApimSubscriptionId: caller.subscription ?? "",
    BackendId: cell.backend === undefined ? "" : `${apiName}-backend`,
    LastErrorReason: reason,
    LastErrorMessage: message,
    LastErrorSource: source.source,
    LastErrorSection: source.section,
    ApiRevision: "1",
    ClientTlsVersion: "1.2",
    SourceSystem: "Azure",
    Type: "ApiManagementGatewayLogs",
    _ResourceId: inst.id.toLowerCase(),
    _SubscriptionId: subscription,
  };
}
