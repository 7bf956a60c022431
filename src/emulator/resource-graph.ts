/**
 * Resource Graph (`POST /providers/Microsoft.ResourceGraph/resources`) for the queries apimbot sends.
 *
 * Supported subset (anything else answers 400 with an Azure-shaped error naming what is unsupported):
 *
 *     resources
 *     | where type =~ 'microsoft.apimanagement/service'
 *     [| where <field> <op> <value> [and ...]]...     fields: subscriptionId, resourceGroup, name, location, type
 *                                                     ops: =~ == != !~ in in~ !in   values: 'text' or ('a', 'b')
 *     [| project <column>, ...]                       columns of the resources table
 *     [| order by <column> [asc|desc]]
 *
 * The first `where` must pin `type` to APIM services. Rows carry `type` in lower case and `location`
 * normalised (`westeurope`), as Resource Graph does. Paging: `options.$top` (default 100, at most 1000),
 * `options.$skip`, and `$skipToken` in the response when rows remain. `options.resultFormat` may be
 * `objectArray` (default) or `table`.
 */
import type { Estate, EstateInstance } from "./arm-estate";
import { normalizeLocation } from "./arm-estate";
import type { RouteContext, RouteResult } from "./arm-http";
import type { EmuRequest, EmuResponse } from "./telemetry-routes";

const COLUMNS = ["id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy", "sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation"] as const;
const APIM_TYPE = "microsoft.apimanagement/service";

type Row = Record<string, unknown>;

class QueryProblem extends Error {}

function graphError(code: string, message: string): EmuResponse {
  return {
    status: 400,
    body: {
      error: {
        code: "BadRequest",
        message: "Please provide below info when asking for support: timestamp and correlation id of this request.",
        details: [
          { code: "InvalidQuery", message: "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying." },
          { code, message },
        ],
      },
    },
  };
}

/** Answers a Resource Graph query over the estate. */
export function handleResourceGraph(req: EmuRequest, estate: Estate, ctx: RouteContext): RouteResult | undefined {
  const low = req.path.toLowerCase().replace(/\/+$/, "");
  if (low !== "/providers/microsoft.resourcegraph/resources") return undefined;
  const kind = "resourcegraph";
  if (req.method !== "POST") return { kind, response: graphError("UnsupportedMethod", `${req.method} is not supported; POST a query.`) };
  const body = req.body as { query?: unknown; subscriptions?: unknown; managementGroups?: unknown; options?: Record<string, unknown> } | undefined;
  if (!body || typeof body.query !== "string") return { kind, response: graphError("MissingQuery", "The request body must carry a 'query' string.") };
  if (body.managementGroups !== undefined) return { kind, response: graphError("UnsupportedScope", "Management group scopes are not supported by the emulator; pass 'subscriptions'.") };
  const options = body.options ?? {};
  const resultFormat = options.resultFormat ?? "objectArray";
  if (resultFormat !== "objectArray" && resultFormat !== "table") return { kind, response: graphError("UnsupportedResultFormat", `resultFormat '${String(resultFormat)}' is not supported.`) };

  let rows: Row[];
  let columns: string[];
  try {
    const scope = Array.isArray(body.subscriptions) ? new Set(body.subscriptions.map((s) => String(s).toLowerCase())) : undefined;
    const instances = estate.instances.filter((i) => scope === undefined || scope.has(i.subscriptionId));
    ({ rows, columns } = runQuery(body.query, instances.map((i) => toRow(i, estate.tenantId))));
  } catch (e) {
    if (e instanceof QueryProblem) return { kind, response: graphError("UnsupportedQuery", e.message) };
    throw e;
  }

  const top = options.$top === undefined ? 100 : Number(options.$top);
  if (!Number.isInteger(top) || top < 1 || top > 1000) return { kind, response: graphError("InvalidTop", "$top must be a whole number from 1 to 1000.") };
  let offset = options.$skip === undefined ? 0 : Number(options.$skip);
  if (!Number.isInteger(offset) || offset < 0) return { kind, response: graphError("InvalidSkip", "$skip must be a non-negative whole number.") };
  if (typeof options.$skipToken === "string" && options.$skipToken !== "") {
    const decoded = Number(Buffer.from(options.$skipToken, "base64").toString("utf8").replace(/^rg-offset:/, ""));
    if (!Number.isInteger(decoded) || decoded < 0) return { kind, response: graphError("InvalidSkipToken", "The $skipToken is not valid.") };
    offset = decoded;
  }
  const size = Math.min(top, ctx.pageSize("resourceGraph"));
  const page = rows.slice(offset, offset + size);
  const out: Record<string, unknown> = {
    totalRecords: rows.length,
    count: page.length,
    resultTruncated: "false",
    facets: [],
    data:
      resultFormat === "table"
        ? { columns: columns.map((name) => ({ name, type: columnType(name) })), rows: page.map((r) => columns.map((c) => r[c] ?? null)) }
        : page,
  };
  if (offset + size < rows.length) out.$skipToken = Buffer.from(`rg-offset:${offset + size}`).toString("base64");
  return { kind, response: { status: 200, body: out } };
}

function columnType(name: string): string {
  return ["sku", "plan", "properties", "tags", "identity", "extendedLocation"].includes(name) ? "object" : name === "zones" ? "object" : "string";
}

function toRow(i: EstateInstance, tenantId: string): Row {
  const r = i.resource;
  return {
    id: r.id,
    name: r.name,
    type: APIM_TYPE,
    tenantId,
    kind: "",
    location: normalizeLocation(i.location),
    resourceGroup: i.resourceGroup.toLowerCase(),
    subscriptionId: i.subscriptionId,
    managedBy: "",
    sku: r.sku,
    plan: null,
    properties: r.properties,
    tags: r.tags ?? {},
    identity: r.identity ?? null,
    zones: r.zones ?? null,
    extendedLocation: null,
  };
}

interface Condition {
  field: string;
  op: string;
  values: string[];
}

function parseValues(text: string): string[] {
  const t = text.trim();
  const single = /^'((?:[^'\\]|\\.)*)'$|^"((?:[^"\\]|\\.)*)"$/.exec(t);
  if (single) return [single[1] ?? single[2] ?? ""];
  const list = /^\((.*)\)$/.exec(t);
  if (list) {
    const items = [...(list[1] ?? "").matchAll(/\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,|$)/g)].map((m) => m[1] ?? m[2] ?? "");
    if (items.length === 0) throw new QueryProblem(`Cannot read the value list ${t}.`);
    return items;
  }
  throw new QueryProblem(`Unsupported value ${t}: use a quoted string or a parenthesised list of quoted strings.`);
}

function parseWhere(text: string): Condition[] {
  return text.split(/\s+and\s+/i).map((part) => {
    const m = /^\s*(\w+)\s*(=~|==|!=|!~|!in~|!in|in~|in)\s*(.+?)\s*$/i.exec(part);
    if (!m) throw new QueryProblem(`Unsupported where clause '${part.trim()}'. Supported: <field> (=~ | == | != | !~ | in | in~ | !in) <value>.`);
    const field = m[1] ?? "";
    if (!["subscriptionId", "resourceGroup", "name", "location", "type", "id"].some((f) => f.toLowerCase() === field.toLowerCase())) {
      throw new QueryProblem(`Filtering on '${field}' is not supported by the emulator (supported: type, subscriptionId, resourceGroup, name, location, id).`);
    }
    const op = (m[2] ?? "").toLowerCase();
    const values = parseValues(m[3] ?? "");
    if ((op === "==" || op === "=~" || op === "!=" || op === "!~") && values.length !== 1) throw new QueryProblem(`'${op}' takes one value.`);
    return { field: COLUMNS.find((c) => c.toLowerCase() === field.toLowerCase()) ?? field, op, values };
  });
}

function matches(row: Row, c: Condition): boolean {
  const actual = String(row[c.field] ?? "");
  const insensitive = c.op === "=~" || c.op === "!~" || c.op === "in~" || c.op === "!in~" || c.field === "subscriptionId";
  const eq = (v: string): boolean => (insensitive ? actual.toLowerCase() === v.toLowerCase() : actual === v);
  const hit = c.values.some(eq);
  return c.op.startsWith("!") ? !hit : hit;
}

/** Runs the supported KQL subset over rows. */
export function runQuery(query: string, all: Row[]): { rows: Row[]; columns: string[] } {
  const stages = query.split("|").map((s) => s.trim());
  const source = (stages.shift() ?? "").toLowerCase();
  if (source !== "resources") throw new QueryProblem(`Unsupported table '${stages.length >= 0 ? source : ""}': the emulator serves the 'resources' table only.`);
  let rows = all;
  let columns: string[] = [...COLUMNS];
  let typePinned = false;
  for (const stage of stages) {
    const where = /^where\s+(.+)$/is.exec(stage);
    if (where) {
      const conditions = parseWhere(where[1] ?? "");
      for (const c of conditions) {
        if (c.field === "type" && (c.op === "=~" || c.op === "==" || c.op === "in~" || c.op === "in")) {
          const wanted = c.values.map((v) => v.toLowerCase());
          if (!wanted.includes(APIM_TYPE) || wanted.length !== 1) {
            throw new QueryProblem(`Only type '${APIM_TYPE}' is served by the emulator (got ${c.values.map((v) => `'${v}'`).join(", ")}).`);
          }
          typePinned = true;
        }
      }
      rows = rows.filter((r) => conditions.every((c) => matches(r, c)));
      continue;
    }
    if (!typePinned) throw new QueryProblem(`The first stage after 'resources' must be: where type =~ '${APIM_TYPE}'.`);
    const project = /^project\s+(.+)$/is.exec(stage);
    if (project) {
      const wanted = (project[1] ?? "").split(",").map((c) => c.trim());
      const resolved = wanted.map((w) => {
        const col = columns.find((c) => c.toLowerCase() === w.toLowerCase());
        if (!col || !/^\w+$/.test(w)) throw new QueryProblem(`Unsupported projection '${w}': project plain columns of the resources table (${COLUMNS.join(", ")}).`);
        return col;
      });
      rows = rows.map((r) => Object.fromEntries(resolved.map((c) => [c, r[c]])));
      columns = resolved;
      continue;
    }
    const order = /^(?:order|sort)\s+by\s+(\w+)(?:\s+(asc|desc))?$/i.exec(stage);
    if (order) {
      const col = columns.find((c) => c.toLowerCase() === (order[1] ?? "").toLowerCase());
      if (!col) throw new QueryProblem(`Cannot order by '${order[1] ?? ""}': not a column of the result.`);
      const dir = (order[2] ?? "desc").toLowerCase() === "asc" ? 1 : -1;
      rows = [...rows].sort((a, b) => String(a[col] ?? "").localeCompare(String(b[col] ?? "")) * dir);
      continue;
    }
    const op = stage.split(/\s+/)[0] ?? stage;
    throw new QueryProblem(`The operator '${op}' is not supported by the emulator. Supported: where, project, order by.`);
  }
  if (!typePinned) throw new QueryProblem(`The query must filter on type: | where type =~ '${APIM_TYPE}'.`);
  return { rows, columns };
}
