/** Shared pieces of the emulator's ARM answers: error bodies, paging with `nextLink`, `$filter`. */
import type { EmuRequest, EmuResponse } from "./telemetry-routes";

/** A route's answer plus the call-log kind it is counted under. */
export interface RouteResult {
  kind: string;
  response: EmuResponse;
}

/** What routes need to know about the server and the scenario. */
export interface RouteContext {
  /** `https://127.0.0.1:<port>`, for absolute `nextLink`s. */
  baseUrl: string;
  /** Page size for a collection key (`subscriptions`, `apis`, ...). */
  pageSize(key: string): number;
  now: Date;
}

/** An ARM-shaped error answer. */
export function armError(status: number, code: string, message: string, extra: Record<string, string> = {}): EmuResponse {
  return { status, body: { error: { code, message, details: null } }, headers: { "x-ms-failure-cause": status >= 500 ? "service" : "gateway", ...extra } };
}

/** An ordinary JSON answer. */
export function ok(body: unknown, status = 200): EmuResponse {
  return { status, body };
}

/** Builds a link back to this emulator with the given query, keeping `$` keys readable as ARM does. */
export function selfLink(ctx: RouteContext, path: string, query: Record<string, string>): string {
  const qs = Object.entries(query)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
  return `${ctx.baseUrl}${path.split("/").map(encodeURIComponent).join("/")}${qs ? `?${qs}` : ""}`;
}

/** Thrown by request parsing for answers that are not success (bad filter, ...). */
export class HttpProblem extends Error {
  constructor(readonly response: EmuResponse) {
    super(JSON.stringify(response.body));
  }
}

function queryRecord(q: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of q) out[k] = v;
  return out;
}

function wholeNumber(q: URLSearchParams, key: string): number | undefined {
  const raw = q.get(key);
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new HttpProblem(armError(400, "ValidationError", `'${raw}' is not a valid value for query parameter '${key}': expected a non-negative integer.`));
  }
  return n;
}

/**
 * One page of an APIM collection (`value`, `count`, `nextLink` with `$skip`), after an optional `$filter`.
 * `$top` caps the page size, as the service does; the next link keeps it.
 */
export function apimPage(items: Record<string, unknown>[], req: EmuRequest, ctx: RouteContext, key: string): EmuResponse {
  const filtered = applyODataFilter(items, req.query.get("$filter"));
  const top = wholeNumber(req.query, "$top");
  const skip = wholeNumber(req.query, "$skip") ?? 0;
  const size = Math.max(1, Math.min(ctx.pageSize(key), top ?? Number.POSITIVE_INFINITY));
  const value = filtered.slice(skip, skip + size);
  const body: Record<string, unknown> = { value, count: filtered.length };
  if (skip + size < filtered.length) {
    body.nextLink = selfLink(ctx, req.path, { ...queryRecord(req.query), $skip: String(skip + size) });
  }
  return ok(body);
}

/** One page of an ARM list that pages with an opaque `$skiptoken` (service lists, Activity Log). */
export function tokenPage(items: unknown[], req: EmuRequest, ctx: RouteContext, key: string): EmuResponse {
  const token = req.query.get("$skiptoken") ?? req.query.get("$skipToken");
  let offset = 0;
  if (token) {
    const decoded = Number(Buffer.from(token, "base64url").toString("utf8").replace(/^offset:/, ""));
    if (!Number.isInteger(decoded) || decoded < 0) throw new HttpProblem(armError(400, "InvalidSkipToken", "The provided skip token is not valid."));
    offset = decoded;
  }
  const size = ctx.pageSize(key);
  const body: Record<string, unknown> = { value: items.slice(offset, offset + size) };
  if (offset + size < items.length) {
    const query = queryRecord(req.query);
    delete query.$skipToken;
    body.nextLink = selfLink(ctx, req.path, { ...query, $skiptoken: Buffer.from(`offset:${offset + size}`).toString("base64url") });
  }
  return ok(body);
}

/**
 * The OData subset APIM lists accept here: `<field> eq|ne <literal>` clauses joined by `and`, where a field
 * is `name` or `properties/<x>` (or a bare property name), and a literal is `'text'`, a number, true or false.
 */
export function applyODataFilter<T extends Record<string, unknown>>(items: T[], filter: string | null): T[] {
  if (filter === null || filter.trim() === "") return items;
  const clauses = filter.split(/\s+and\s+/i).map((clause) => {
    const m = /^\s*([A-Za-z][\w/]*)\s+(eq|ne)\s+('(?:[^']|'')*'|true|false|-?\d+(?:\.\d+)?)\s*$/i.exec(clause);
    if (!m) {
      throw new HttpProblem(
        armError(400, "InvalidFilterClause", `Invalid filter clause '${clause.trim()}'. The emulator supports '<field> eq|ne <literal>' joined by 'and'.`),
      );
    }
    const field = m[1] ?? "";
    const literal = m[3] ?? "";
    const value: unknown = literal.startsWith("'") ? literal.slice(1, -1).replace(/''/g, "'") : literal === "true" ? true : literal === "false" ? false : Number(literal);
    return { path: field.split("/").filter((p) => p !== ""), negate: (m[2] ?? "").toLowerCase() === "ne", value };
  });
  return items.filter((item) =>
    clauses.every((c) => {
      let target: unknown = c.path[0] === "name" || c.path[0] === "properties" ? item : (item.properties as unknown);
      for (const seg of c.path) target = typeof target === "object" && target !== null ? (target as Record<string, unknown>)[seg] : undefined;
      const equal = typeof target === "string" && typeof c.value === "string" ? target.toLowerCase() === c.value.toLowerCase() : target === c.value;
      return c.negate ? !equal : equal;
    }),
  );
}
