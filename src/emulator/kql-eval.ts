/**
 * Evaluator of the parsed KQL subset over weighted rows: a row may stand for `n` identical requests,
 * so a busy API answers without materialising every request. A row is expanded into its requests
 * only when the query looks at a column that differs per request (such as `TimeGenerated`).
 */
import { type Assignment, type Expr, type KqlValue, type Operator, type Query, Timespan, semanticError } from "./kql";

/** A result or source column. */
export interface KqlColumn {
  name: string;
  /** Log Analytics type: string, int, long, real, bool, datetime, timespan, dynamic. */
  type: string;
}

/** A row of a source: `n` requests sharing `values`; per-request columns come from `expand`. */
export interface KqlRow {
  values: Record<string, KqlValue>;
  /** Per-request columns of an expanded row, read before {@link values}. */
  own?: Record<string, KqlValue>;
  n: number;
  /** Start of the minute the requests fall in (epoch ms), for `bin(TimeGenerated, ...)` on whole minutes. */
  minute?: number;
  /** Epoch ms of the earliest and latest request, so `min`/`max` of the time need no expansion. */
  timeRange?: [number, number];
  /** The per-request columns of each of the `n` requests; absent once expanded. */
  expand?: () => Record<string, KqlValue>[];
}

/** A table to query. */
export interface KqlSource {
  columns: KqlColumn[];
  /** Columns whose value differs between the requests of one row. */
  perRequest: Set<string>;
  rows: KqlRow[];
}

/** A query result, rows in column order. */
export interface KqlResult {
  columns: KqlColumn[];
  rows: KqlValue[][];
}

const UNKNOWN = Symbol("unknown");
type Val = KqlValue | typeof UNKNOWN;

const AGGREGATES = [
  "count",
  "countif",
  "dcount",
  "dcountif",
  "sum",
  "sumif",
  "min",
  "max",
  "avg",
  "take_any",
  "any",
  "arg_max",
  "arg_min",
  "make_set",
  "make_list",
];
const TIME_COLUMNS = ["TimeGenerated", "Timestamp"];

/** Runs a parsed query against a source; `text` is the query text, for error positions. */
export function runKql(query: Query, text: string, source: KqlSource, now: Date): KqlResult {
  const ctx: Ctx = { text, now, perRequest: source.perRequest };
  let schema = source.columns.slice();
  let rows: KqlRow[] = source.rows;
  let i = 0;
  // Leading filters run on whole rows where they can decide, and expand a row only where they cannot.
  for (; i < query.ops.length && query.ops[i]!.op === "where"; i++) {
    const op = query.ops[i] as Extract<Operator, { op: "where" }>;
    checkRefs(op.pred, schema, ctx, "where");
    const out: KqlRow[] = [];
    for (const row of rows) {
      const r = evaluate(op.pred, row, ctx);
      if (r === true) out.push(row);
      else if (r === UNKNOWN) {
        for (const single of expandRow(row)) {
          if (evaluate(op.pred, single, ctx) === true) out.push(single);
        }
      }
    }
    rows = out;
  }
  if (needsExpansion(query.ops.slice(i), ctx)) {
    // Taking N rows commutes with expansion, so take first and expand only what is kept.
    for (; i < query.ops.length && query.ops[i]!.op === "take"; i++) {
      rows = takeRows(rows, (query.ops[i] as Extract<Operator, { op: "take" }>).count);
    }
    rows = rows.flatMap(expandRow);
  }
  for (; i < query.ops.length; i++) {
    const op = query.ops[i]!;
    switch (op.op) {
      case "where":
        checkRefs(op.pred, schema, ctx, "where");
        rows = rows.filter((r) => evaluate(op.pred, r, ctx) === true);
        break;
      case "extend": {
        const next = schema.slice();
        for (const item of op.items) {
          checkRefs(item.expr, next, ctx, "extend");
          const name = item.name ?? (item.expr.type === "col" ? item.expr.name : `Column${next.length + 1}`);
          const col = { name, type: exprType(item.expr, next) };
          const at = next.findIndex((c) => c.name === name);
          if (at >= 0) next[at] = col;
          else next.push(col);
        }
        rows = rows.map((r) => {
          const values = copyValues(r);
          const view: KqlRow = { ...r, values };
          for (const item of op.items) {
            const name = item.name ?? (item.expr.type === "col" ? item.expr.name : "");
            values[name] = known(evaluate(item.expr, view, ctx));
          }
          return { values, n: r.n, minute: r.minute };
        });
        schema = next;
        break;
      }
      case "project": {
        const next: KqlColumn[] = [];
        for (const item of op.items) {
          checkRefs(item.expr, schema, ctx, "project");
          next.push({ name: nameOf(item, next.length), type: exprType(item.expr, schema) });
        }
        rows = rows.map((r) => {
          const values: Record<string, KqlValue> = {};
          op.items.forEach((item, k) => (values[next[k]!.name] = known(evaluate(item.expr, r, ctx))));
          return { values, n: r.n, minute: r.minute };
        });
        schema = next;
        break;
      }
      case "summarize":
        ({ schema, rows } = summarize(op.aggs, op.by, schema, rows, ctx));
        break;
      case "order":
        for (const k of op.keys) checkRefs(k.expr, schema, ctx, "order by");
        rows = sortRows(rows, op.keys, ctx);
        break;
      case "top":
        checkRefs(op.key.expr, schema, ctx, "top");
        rows = takeRows(sortRows(rows, [op.key], ctx), op.count);
        break;
      case "take":
        rows = takeRows(rows, op.count);
        break;
      case "count":
        rows = [{ values: { Count: rows.reduce((s, r) => s + r.n, 0) }, n: 1 }];
        schema = [{ name: "Count", type: "long" }];
        break;
    }
  }
  const out: KqlValue[][] = [];
  for (const r of rows) {
    const line = schema.map((c) => get(r, c.name));
    for (let k = 0; k < r.n; k++) out.push(line);
  }
  return { columns: schema, rows: out };
}

interface Ctx {
  text: string;
  now: Date;
  perRequest: Set<string>;
}

function expandRow(r: KqlRow): KqlRow[] {
  if (r.expand) return r.expand().map((own) => ({ values: r.values, own, n: 1, minute: r.minute }));
  if (r.n === 1) return [r];
  return Array.from({ length: r.n }, () => ({ values: r.values, own: r.own, n: 1, minute: r.minute }));
}

function get(row: KqlRow, name: string): KqlValue {
  const own = row.own?.[name];
  return own !== undefined ? own : (row.values[name] ?? null);
}

/** A flat copy of a row's shared and per-request values. */
function copyValues(row: KqlRow): Record<string, KqlValue> {
  return row.own ? { ...row.values, ...row.own } : { ...row.values };
}

function known(v: Val): KqlValue {
  return v === UNKNOWN ? null : v;
}

function nameOf(item: Assignment, index: number): string {
  if (item.name) return item.name;
  if (item.expr.type === "col") return item.expr.name;
  if (item.expr.type === "call" && (item.expr.name === "bin" || item.expr.name === "floor") && item.expr.args[0]?.type === "col") {
    return item.expr.args[0].name;
  }
  return `Column${index + 1}`;
}

/** Whether the rest of the pipeline reads a per-request column before its rows are reduced. */
function needsExpansion(ops: Operator[], ctx: Ctx): boolean {
  const reads = (e: Expr): boolean => {
    switch (e.type) {
      case "lit":
        return false;
      case "col":
        return ctx.perRequest.has(e.name);
      case "call":
        if (
          (e.name === "bin" || e.name === "floor") &&
          e.args[0]?.type === "col" &&
          TIME_COLUMNS.includes(e.args[0].name) &&
          e.args[1]?.type === "lit" &&
          e.args[1].value instanceof Timespan &&
          e.args[1].value.ms > 0 &&
          e.args[1].value.ms % 60_000 === 0
        ) {
          return false;
        }
        if ((e.name === "min" || e.name === "max") && e.args.length === 1 && e.args[0]?.type === "col" && TIME_COLUMNS.includes(e.args[0].name)) {
          return false;
        }
        return e.star || e.args.some(reads);
      case "bin":
        return reads(e.left) || reads(e.right);
      case "in":
        return reads(e.value) || e.list.some(reads);
      case "between":
        return reads(e.value) || reads(e.low) || reads(e.high);
    }
  };
  for (const op of ops) {
    switch (op.op) {
      case "where":
        if (reads(op.pred)) return true;
        break;
      case "extend":
        if (op.items.some((a) => reads(a.expr))) return true;
        break;
      case "project":
        return op.items.some((a) => reads(a.expr));
      case "summarize":
        return op.aggs.some((a) => reads(a.expr)) || op.by.some((a) => reads(a.expr));
      case "order":
        if (op.keys.some((k) => reads(k.expr))) return true;
        break;
      case "top":
        if (reads(op.key.expr)) return true;
        break;
      case "count":
        return false;
      case "take":
        break;
    }
  }
  return true;
}

function checkRefs(e: Expr, schema: KqlColumn[], ctx: Ctx, where: string): void {
  switch (e.type) {
    case "lit":
      return;
    case "col":
      if (!schema.some((c) => c.name === e.name)) {
        throw semanticError(ctx.text, e.pos, e.name, `'${where}' operator: Failed to resolve column or scalar expression named '${e.name}'`);
      }
      return;
    case "call":
      if (!SCALARS.includes(e.name) && !AGGREGATES.includes(e.name)) {
        throw semanticError(ctx.text, e.pos, e.name, `Unsupported function '${e.name}'`);
      }
      if (AGGREGATES.includes(e.name) && where !== "summarize") {
        throw semanticError(ctx.text, e.pos, e.name, `'${e.name}' is an aggregation: use it only in 'summarize'`);
      }
      e.args.forEach((a) => checkRefs(a, schema, ctx, where));
      return;
    case "bin":
      checkRefs(e.left, schema, ctx, where);
      checkRefs(e.right, schema, ctx, where);
      return;
    case "in":
      checkRefs(e.value, schema, ctx, where);
      e.list.forEach((a) => checkRefs(a, schema, ctx, where));
      return;
    case "between":
      checkRefs(e.value, schema, ctx, where);
      checkRefs(e.low, schema, ctx, where);
      checkRefs(e.high, schema, ctx, where);
      return;
  }
}

const SCALARS = [
  "ago",
  "now",
  "bin",
  "floor",
  "isempty",
  "isnotempty",
  "isnull",
  "isnotnull",
  "not",
  "tolower",
  "toupper",
  "strcat",
  "tostring",
  "toint",
  "tolong",
  "todouble",
  "toreal",
  "iff",
  "iif",
];

function typeOfValue(v: KqlValue): string {
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "real";
  if (v instanceof Date) return "datetime";
  if (v instanceof Timespan) return "timespan";
  return "string";
}

function exprType(e: Expr, schema: KqlColumn[]): string {
  switch (e.type) {
    case "lit":
      return typeOfValue(e.value);
    case "col":
      return schema.find((c) => c.name === e.name)?.type ?? "string";
    case "in":
    case "between":
      return "bool";
    case "bin": {
      if (["and", "or", "==", "!=", "=~", "!~", "<", "<=", ">", ">="].includes(e.op) || /^!?(has|contains|startswith|endswith)/.test(e.op)) {
        return "bool";
      }
      const l = exprType(e.left, schema);
      const r = exprType(e.right, schema);
      if (l === "datetime" && r === "datetime") return "timespan";
      if (l === "datetime" || r === "datetime") return "datetime";
      if (l === "timespan" || r === "timespan") return "timespan";
      if (e.op === "/" || l === "real" || r === "real") return "real";
      return "long";
    }
    case "call":
      switch (e.name) {
        case "ago":
        case "now":
          return "datetime";
        case "bin":
        case "floor":
        case "min":
        case "max":
        case "take_any":
        case "any":
        case "arg_max":
        case "arg_min":
          return e.args[0] ? exprType(e.args[0], schema) : "string";
        case "iff":
        case "iif":
          return e.args[1] ? exprType(e.args[1], schema) : "string";
        case "count":
        case "countif":
        case "dcount":
        case "dcountif":
        case "tolong":
          return "long";
        case "make_set":
        case "make_list":
          return "dynamic";
        case "toint":
          return "int";
        case "sum":
        case "sumif": {
          const t = e.args[0] ? exprType(e.args[0], schema) : "long";
          return t === "int" ? "long" : t;
        }
        case "avg":
        case "todouble":
        case "toreal":
          return "real";
        case "tolower":
        case "toupper":
        case "strcat":
        case "tostring":
          return "string";
        default:
          return "bool";
      }
  }
}

function lookup(row: KqlRow, name: string, ctx: Ctx): Val {
  if (row.own) {
    const v = row.own[name];
    if (v !== undefined) return v;
  } else if (row.expand && ctx.perRequest.has(name)) {
    return UNKNOWN;
  }
  return row.values[name] ?? null;
}

function evaluate(e: Expr, row: KqlRow, ctx: Ctx): Val {
  switch (e.type) {
    case "lit":
      return e.value;
    case "col":
      return lookup(row, e.name, ctx);
    case "in": {
      const v = evaluate(e.value, row, ctx);
      if (v === UNKNOWN) return UNKNOWN;
      let found = false;
      for (const item of e.list) {
        const x = evaluate(item, row, ctx);
        if (x === UNKNOWN) return UNKNOWN;
        if (e.caseless ? equalsCaseless(v, x) : equals(v, x)) found = true;
      }
      return v === null ? false : found !== e.negate;
    }
    case "between": {
      const v = evaluate(e.value, row, ctx);
      const low = evaluate(e.low, row, ctx);
      let high = evaluate(e.high, row, ctx);
      if (v === UNKNOWN || low === UNKNOWN || high === UNKNOWN) return overMinute(e, row, ctx) ?? UNKNOWN;
      if (v === null || low === null || high === null) return false;
      if (low instanceof Date && high instanceof Timespan) high = new Date(low.getTime() + high.ms);
      const inside = compare(v, low) >= 0 && compare(v, high) <= 0;
      return inside !== e.negate;
    }
    case "bin":
      return binary(e.op, e, row, ctx);
    case "call":
      return call(e, row, ctx);
  }
}

function binary(op: string, e: Extract<Expr, { type: "bin" }>, row: KqlRow, ctx: Ctx): Val {
  if (op === "and" || op === "or") {
    const l = evaluate(e.left, row, ctx);
    if (op === "and" && l === false) return false;
    if (op === "or" && l === true) return true;
    const r = evaluate(e.right, row, ctx);
    if (op === "and" && r === false) return false;
    if (op === "or" && r === true) return true;
    if (l === UNKNOWN || r === UNKNOWN) return UNKNOWN;
    return op === "and" ? l === true && r === true : l === true || r === true;
  }
  const l = evaluate(e.left, row, ctx);
  const r = evaluate(e.right, row, ctx);
  if (l === UNKNOWN || r === UNKNOWN) return overMinute(e, row, ctx) ?? UNKNOWN;
  switch (op) {
    case "==":
      return l !== null && r !== null && equals(l, r);
    case "!=":
      return l !== null && r !== null && !equals(l, r);
    case "=~":
      return l !== null && r !== null && equalsCaseless(l, r);
    case "!~":
      return l !== null && r !== null && !equalsCaseless(l, r);
    case "<":
      return l !== null && r !== null && compare(l, r) < 0;
    case "<=":
      return l !== null && r !== null && compare(l, r) <= 0;
    case ">":
      return l !== null && r !== null && compare(l, r) > 0;
    case ">=":
      return l !== null && r !== null && compare(l, r) >= 0;
    case "+":
    case "-":
    case "*":
    case "/":
    case "%":
      return arithmetic(op, l, r);
    default: {
      const negate = op.startsWith("!");
      const name = negate ? op.slice(1) : op;
      const caseSensitive = name.endsWith("_cs");
      let hay = String(l ?? "");
      let needle = String(r ?? "");
      if (!caseSensitive) {
        hay = hay.toLowerCase();
        needle = needle.toLowerCase();
      }
      let hit: boolean;
      if (name.startsWith("has")) {
        const esc = needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        hit = needle === "" || new RegExp(`(^|[^\\p{L}\\p{N}_])${esc}($|[^\\p{L}\\p{N}_])`, "u").test(hay);
      } else if (name.startsWith("contains")) hit = hay.includes(needle);
      else if (name === "startswith") hit = hay.startsWith(needle);
      else hit = hay.endsWith(needle);
      return hit !== negate;
    }
  }
}

/**
 * Decides a time comparison for a whole row of requests when it holds (or fails) at both ends of the
 * row's minute: comparisons and `between` are monotonic in time, so the middle agrees.
 */
function overMinute(e: Expr, row: KqlRow, ctx: Ctx): boolean | undefined {
  if (row.minute === undefined || !row.expand) return undefined;
  const timeCol = (x: Expr): boolean => x.type === "col" && TIME_COLUMNS.includes(x.name);
  let column: string | undefined;
  if (e.type === "between" && timeCol(e.value)) column = (e.value as { name: string }).name;
  else if (e.type === "bin" && ["<", "<=", ">", ">="].includes(e.op) && (timeCol(e.left) || timeCol(e.right))) {
    if (timeCol(e.left) && timeCol(e.right)) return undefined;
    column = ((timeCol(e.left) ? e.left : e.right) as { name: string }).name;
  }
  if (column === undefined) return undefined;
  const at = (t: number): Val => {
    const probe: KqlRow = { values: row.values, own: { [column]: new Date(t) }, n: 1 };
    return evaluate(e, probe, ctx);
  };
  const a = at(row.minute);
  const b = at(row.minute + 59_999);
  return typeof a === "boolean" && a === b ? a : undefined;
}

function arithmetic(op: string, l: KqlValue, r: KqlValue): KqlValue {
  if (l === null || r === null) return null;
  if (l instanceof Date && r instanceof Timespan) return new Date(l.getTime() + (op === "-" ? -r.ms : r.ms));
  if (l instanceof Timespan && r instanceof Date && op === "+") return new Date(r.getTime() + l.ms);
  if (l instanceof Date && r instanceof Date && op === "-") return new Timespan(l.getTime() - r.getTime());
  if (l instanceof Timespan && r instanceof Timespan) return new Timespan(op === "-" ? l.ms - r.ms : l.ms + r.ms);
  if (l instanceof Timespan && typeof r === "number") return new Timespan(op === "/" ? l.ms / r : l.ms * r);
  if (typeof l === "number" && typeof r === "number") {
    switch (op) {
      case "+":
        return l + r;
      case "-":
        return l - r;
      case "*":
        return l * r;
      case "/":
        return r === 0 ? null : l / r;
      default:
        return r === 0 ? null : l % r;
    }
  }
  if (op === "+" && typeof l === "string" && typeof r === "string") return null;
  return null;
}

function call(e: Extract<Expr, { type: "call" }>, row: KqlRow, ctx: Ctx): Val {
  if (e.name === "bin" || e.name === "floor") {
    const target = e.args[0];
    const size = e.args[1] ? evaluate(e.args[1], row, ctx) : null;
    if (
      row.minute !== undefined &&
      target?.type === "col" &&
      row.own === undefined &&
      row.values[target.name] === undefined &&
      target?.type === "col" &&
      TIME_COLUMNS.includes(target.name) &&
      size instanceof Timespan &&
      size.ms % 60_000 === 0
    ) {
      return new Date(Math.floor(row.minute / size.ms) * size.ms);
    }
    const v = target ? evaluate(target, row, ctx) : null;
    if (v === UNKNOWN || size === UNKNOWN) return UNKNOWN;
    if (v === null || size === null) return null;
    if (v instanceof Date && size instanceof Timespan) return new Date(Math.floor(v.getTime() / size.ms) * size.ms);
    if (v instanceof Timespan && size instanceof Timespan) return new Timespan(Math.floor(v.ms / size.ms) * size.ms);
    if (typeof v === "number" && typeof size === "number") return Math.floor(v / size) * size;
    return null;
  }
  const args = e.args.map((a) => evaluate(a, row, ctx));
  if (args.includes(UNKNOWN) && e.name !== "iff" && e.name !== "iif") return UNKNOWN;
  const a0 = args[0] as KqlValue | undefined;
  switch (e.name) {
    case "ago":
      return a0 instanceof Timespan ? new Date(ctx.now.getTime() - a0.ms) : null;
    case "now":
      return new Date(ctx.now.getTime() + (a0 instanceof Timespan ? a0.ms : 0));
    case "isempty":
      return a0 === null || a0 === undefined || a0 === "";
    case "isnotempty":
      return !(a0 === null || a0 === undefined || a0 === "");
    case "isnull":
      return a0 === null || a0 === undefined;
    case "isnotnull":
      return !(a0 === null || a0 === undefined);
    case "not":
      return a0 === null || a0 === undefined ? null : !a0;
    case "tolower":
      return a0 === null || a0 === undefined ? null : String(a0).toLowerCase();
    case "toupper":
      return a0 === null || a0 === undefined ? null : String(a0).toUpperCase();
    case "strcat":
      return args.map((a) => (a === null ? "" : display(a as KqlValue))).join("");
    case "tostring":
      return a0 === null || a0 === undefined ? "" : display(a0);
    case "toint":
    case "tolong":
    case "todouble":
    case "toreal": {
      const n = typeof a0 === "number" ? a0 : Number(a0);
      if (a0 === null || a0 === undefined || a0 === "" || Number.isNaN(n)) return null;
      return e.name === "toint" || e.name === "tolong" ? Math.trunc(n) : n;
    }
    case "iff":
    case "iif": {
      const c = args[0];
      if (c === UNKNOWN) return UNKNOWN;
      const pick = c === true ? args[1] : args[2];
      return pick ?? null;
    }
    default:
      throw semanticError(ctx.text, e.pos, e.name, `Unsupported function '${e.name}' here`);
  }
}

/** Evaluates an expression that reads no column (e.g. `ago(15m)`); undefined when it reads one. */
export function constantValue(e: Expr, now: Date): KqlValue | undefined {
  const ctx: Ctx = { text: "", now, perRequest: new Set() };
  const probe: KqlRow = { values: {}, n: 1, expand: () => [] };
  const reads = (x: Expr): boolean =>
    x.type === "col" ||
    (x.type === "call" && x.args.some(reads)) ||
    (x.type === "bin" && (reads(x.left) || reads(x.right)));
  if (reads(e) || e.type === "in" || e.type === "between") return undefined;
  const v = evaluate(e, probe, ctx);
  return v === UNKNOWN ? undefined : v;
}

/** Formats a value the way Log Analytics writes it into a result table. */
export function display(v: KqlValue): string {
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Timespan) return formatTimespan(v.ms);
  return String(v);
}

/** A timespan as `[d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  const pad = (x: number): string => String(x).padStart(2, "0");
  return `${sign}${days ? `${days}.` : ""}${pad(h)}:${pad(m)}:${pad(s)}${frac ? `.${String(frac * 10_000).padStart(7, "0")}` : ""}`;
}

function equals(a: KqlValue, b: KqlValue): boolean {
  if (a instanceof Date || b instanceof Date) return compare(a, b) === 0;
  if (a instanceof Timespan && b instanceof Timespan) return a.ms === b.ms;
  if (typeof a === "number" && typeof b === "string") return a === Number(b);
  if (typeof a === "string" && typeof b === "number") return Number(a) === b;
  return a === b;
}

function equalsCaseless(a: KqlValue, b: KqlValue): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return equals(a, b);
}

function toComparable(v: KqlValue): number | string | null {
  if (v === null) return null;
  if (v instanceof Date) return v.getTime();
  if (v instanceof Timespan) return v.ms;
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

function compare(a: KqlValue, b: KqlValue): number {
  let x = toComparable(a);
  let y = toComparable(b);
  if (a instanceof Date && typeof b === "string") y = new Date(b).getTime();
  if (b instanceof Date && typeof a === "string") x = new Date(a).getTime();
  if (x === null && y === null) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  if (typeof x === "number" && typeof y === "number") return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}

function sortRows(rows: KqlRow[], keys: { expr: Expr; descending: boolean }[], ctx: Ctx): KqlRow[] {
  const withKeys = rows.map((r, idx) => ({ r, idx, k: keys.map((k) => known(evaluate(k.expr, r, ctx))) }));
  withKeys.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const av = a.k[i]!;
      const bv = b.k[i]!;
      // Nulls sort last when descending and first when ascending, as in Kusto.
      const c = compare(av, bv);
      if (c !== 0) return keys[i]!.descending ? -c : c;
    }
    return a.idx - b.idx;
  });
  return withKeys.map((x) => x.r);
}

function takeRows(rows: KqlRow[], count: number): KqlRow[] {
  const out: KqlRow[] = [];
  let left = count;
  for (const r of rows) {
    if (left <= 0) break;
    if (r.n <= left) {
      out.push(r);
      left -= r.n;
    } else {
      const keep = left;
      const parent = r;
      out.push({ ...r, n: keep, expand: parent.expand ? () => parent.expand!().slice(0, keep) : undefined });
      left = 0;
    }
  }
  return out;
}

interface AggState {
  list?: KqlValue[];
  n: number;
  sum: number;
  best: KqlValue;
  bestRow?: Record<string, KqlValue>;
  set?: Set<string>;
  any: KqlValue;
}

function summarize(
  aggs: Assignment[],
  by: Assignment[],
  schema: KqlColumn[],
  rows: KqlRow[],
  ctx: Ctx,
): { schema: KqlColumn[]; rows: KqlRow[] } {
  for (const b of by) checkRefs(b.expr, schema, ctx, "summarize");
  for (const a of aggs) {
    if (a.expr.type !== "call" || !AGGREGATES.includes(a.expr.name)) {
      const pos = a.expr.type === "call" || a.expr.type === "col" ? a.expr.pos : 0;
      throw semanticError(ctx.text, pos, "summarize", "'summarize' operator: each item must be an aggregation such as count() or sum(x)");
    }
    checkRefs(a.expr, schema, ctx, "summarize");
  }
  const byCols = by.map((b, k) => ({ name: nameOf(b, k), type: exprType(b.expr, schema) }));
  const aggCols: KqlColumn[] = [];
  const extraCols: KqlColumn[][] = [];
  aggs.forEach((a) => {
    const c = a.expr as Extract<Expr, { type: "call" }>;
    const argName = c.args[0]?.type === "col" ? c.args[0].name : "";
    const fallback =
      c.name === "count" ? "count_" : c.name === "countif" ? "countif_" : `${c.name}_${argName}`;
    if (c.name === "arg_max" || c.name === "arg_min") {
      const main = { name: a.name ?? (argName || fallback), type: exprType(c, schema) };
      const rest = c.star
        ? schema.filter((col) => col.name !== argName && !byCols.some((b) => b.name === col.name))
        : c.args.slice(1).map((x, k) => ({ name: nameOf({ expr: x }, k), type: exprType(x, schema) }));
      aggCols.push(main);
      extraCols.push(rest);
    } else {
      aggCols.push({ name: a.name ?? fallback, type: exprType(c, schema) });
      extraCols.push([]);
    }
  });
  const groups = new Map<string, { keys: KqlValue[]; states: AggState[] }>();
  const fresh = (): AggState[] => aggs.map(() => ({ n: 0, sum: 0, best: null, any: null }));
  if (by.length === 0) groups.set("", { keys: [], states: fresh() });
  for (const row of rows) {
    const keys = by.map((b) => known(evaluate(b.expr, row, ctx)));
    let id = "";
    for (const k of keys) id += k instanceof Date ? `d${k.getTime()}\u0001` : `${typeOfValue(k)}:${k === null ? "\u0000" : display(k)}\u0001`;
    let g = groups.get(id);
    if (!g) {
      g = { keys, states: fresh() };
      groups.set(id, g);
    }
    aggs.forEach((a, k) => accumulate(a.expr as Extract<Expr, { type: "call" }>, g!.states[k]!, row, ctx));
  }
  const out: KqlRow[] = [];
  for (const g of groups.values()) {
    const values: Record<string, KqlValue> = {};
    byCols.forEach((c, k) => (values[c.name] = g.keys[k]!));
    aggs.forEach((a, k) => {
      const c = a.expr as Extract<Expr, { type: "call" }>;
      const st = g.states[k]!;
      values[aggCols[k]!.name] = finish(c.name, st);
      if (extraCols[k]!.length > 0) {
        const src = st.bestRow ?? {};
        extraCols[k]!.forEach((col, j) => {
          values[col.name] = c.star ? (src[col.name] ?? null) : (src[`\u0000${j}`] ?? null);
        });
      }
    });
    out.push({ values, n: 1 });
  }
  const cols = [...byCols];
  aggCols.forEach((c, k) => cols.push(c, ...extraCols[k]!));
  return { schema: cols, rows: out };
}

function argOf(c: Extract<Expr, { type: "call" }>, k: number, row: KqlRow, ctx: Ctx): KqlValue {
  const e = c.args[k];
  return e ? known(evaluate(e, row, ctx)) : null;
}

function accumulate(c: Extract<Expr, { type: "call" }>, st: AggState, row: KqlRow, ctx: Ctx): void {
  switch (c.name) {
    case "count":
      st.n += row.n;
      return;
    case "countif":
      if (argOf(c, 0, row, ctx) === true) st.n += row.n;
      return;
    case "dcount":
    case "dcountif": {
      if (c.name === "dcountif" && argOf(c, 1, row, ctx) !== true) return;
      const v = argOf(c, 0, row, ctx);
      if (v === null) return;
      st.set ??= new Set();
      st.set.add(display(v));
      return;
    }
    case "sum":
    case "sumif":
    case "avg": {
      if (c.name === "sumif" && argOf(c, 1, row, ctx) !== true) return;
      const v = toComparable(argOf(c, 0, row, ctx));
      if (typeof v !== "number") return;
      st.sum += v * row.n;
      st.n += row.n;
      return;
    }
    case "make_set":
    case "make_list": {
      const v = argOf(c, 0, row, ctx);
      const limit = toComparable(argOf(c, 1, row, ctx));
      const max = typeof limit === "number" ? limit : 1_048_576;
      if (v === null) return;
      st.list ??= [];
      st.set ??= new Set();
      const key = display(v);
      for (let k = 0; k < (c.name === "make_list" ? row.n : 1) && st.list.length < max; k++) {
        if (c.name === "make_set" && st.set.has(key)) return;
        st.set.add(key);
        st.list.push(v);
      }
      return;
    }
    case "min":
    case "max": {
      const target = c.args[0];
      if (row.expand && target?.type === "col" && TIME_COLUMNS.includes(target.name) && !row.own) {
        // A whole row of requests: its time range answers, or else its requests do.
        const range = row.timeRange ?? timeRangeOf(row, target.name);
        if (!range) return;
        const t = new Date(c.name === "min" ? range[0] : range[1]);
        if (st.best === null || (c.name === "min" ? compare(t, st.best) < 0 : compare(t, st.best) > 0)) st.best = t;
        return;
      }
      const v = argOf(c, 0, row, ctx);
      if (v === null) return;
      if (st.best === null || (c.name === "min" ? compare(v, st.best) < 0 : compare(v, st.best) > 0)) st.best = v;
      return;
    }
    case "take_any":
    case "any": {
      const v = argOf(c, 0, row, ctx);
      if (st.any === null && v !== null) st.any = v;
      return;
    }
    default: {
      const v = argOf(c, 0, row, ctx);
      if (v === null) return;
      const better = st.best === null || (c.name === "arg_min" ? compare(v, st.best) < 0 : compare(v, st.best) > 0);
      if (!better) return;
      st.best = v;
      if (c.star) st.bestRow = copyValues(row.expand ? (expandRow(row)[0] ?? row) : row);
      else {
        const extra: Record<string, KqlValue> = {};
        c.args.slice(1).forEach((x, j) => (extra[`\u0000${j}`] = known(evaluate(x, row, ctx))));
        st.bestRow = extra;
      }
    }
  }
}

function timeRangeOf(row: KqlRow, column: string): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of expandRow(row)) {
    const v = get(r, column);
    if (!(v instanceof Date)) continue;
    lo = Math.min(lo, v.getTime());
    hi = Math.max(hi, v.getTime());
  }
  return lo <= hi ? [lo, hi] : undefined;
}

function finish(name: string, st: AggState): KqlValue {
  switch (name) {
    case "count":
    case "countif":
      return st.n;
    case "dcount":
    case "dcountif":
      return st.set?.size ?? 0;
    case "sum":
    case "sumif":
      return st.sum;
    case "make_set":
    case "make_list":
      // Log Analytics sends dynamic values as JSON text; the SDK parses them.
      return JSON.stringify((st.list ?? []).map((v) => (v instanceof Date || v instanceof Timespan ? display(v) : v)));
    case "avg":
      return st.n > 0 ? st.sum / st.n : null;
    case "take_any":
    case "any":
      return st.any;
    default:
      return st.best;
  }
}
