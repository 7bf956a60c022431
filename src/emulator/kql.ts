/**
 * Tokenizer and parser of the KQL subset the emulator answers (see docs/emulator-telemetry.md).
 * Anything outside the subset is refused with a {@link KqlError} naming the operator and its position.
 */

/** A query the emulator cannot run: a syntax error or something outside the subset. */
export class KqlError extends Error {
  readonly kind: "syntax" | "semantic";
  readonly line: number;
  readonly pos: number;
  readonly token: string;
  constructor(kind: "syntax" | "semantic", message: string, line: number, pos: number, token: string) {
    super(message);
    this.name = "KqlError";
    this.kind = kind;
    this.line = line;
    this.pos = pos;
    this.token = token;
  }
}

/** A KQL timespan value, in milliseconds. */
export class Timespan {
  constructor(readonly ms: number) {}
}

/** A scalar value during evaluation. */
export type KqlValue = string | number | boolean | Date | Timespan | null;

/** A scalar expression. */
export type Expr =
  | { type: "lit"; value: KqlValue }
  | { type: "col"; name: string; pos: number }
  | { type: "call"; name: string; args: Expr[]; star: boolean; pos: number }
  | { type: "bin"; op: string; left: Expr; right: Expr }
  | { type: "in"; negate: boolean; caseless: boolean; value: Expr; list: Expr[] }
  | { type: "between"; negate: boolean; value: Expr; low: Expr; high: Expr };

/** `Name = expr`, or an unnamed expression (name undefined). */
export interface Assignment {
  name?: string;
  expr: Expr;
}

/** One pipeline operator. */
export type Operator =
  | { op: "where"; pred: Expr }
  | { op: "extend"; items: Assignment[] }
  | { op: "project"; items: Assignment[] }
  | { op: "summarize"; aggs: Assignment[]; by: Assignment[] }
  | { op: "order"; keys: { expr: Expr; descending: boolean }[] }
  | { op: "top"; count: number; key: { expr: Expr; descending: boolean } }
  | { op: "take"; count: number }
  | { op: "count" };

/** A parsed query: a table and its pipeline. */
export interface Query {
  table: string;
  ops: Operator[];
}

type TokKind = "ident" | "string" | "number" | "timespan" | "datetime" | "punct" | "eof";
interface Tok {
  kind: TokKind;
  text: string;
  value?: KqlValue;
  pos: number;
  /** True when whitespace separates this token from the previous one. */
  spaced: boolean;
}

const SPAN_UNITS: Record<string, number> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
};

const PUNCT = [";", "!in~", "!in", "==", "!=", "=~", "!~", "<=", ">=", "..", "|", "(", ")", ",", "=", "<", ">", "*", "+", "-", "/", "~", "!", "%", "[", "]", "."];

function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      last = i;
    }
  }
  return { line, col: pos - last };
}

/** Builds a syntax error at a position of the query text. */
export function syntaxError(text: string, pos: number, token: string, message: string): KqlError {
  const { line, col } = lineCol(text, pos);
  return new KqlError("syntax", `${message} (line ${line}, position ${col})`, line, col, token);
}

/** Builds an error for a well-formed query that uses something outside the subset, or an unknown name. */
export function semanticError(text: string, pos: number, token: string, message: string): KqlError {
  const { line, col } = lineCol(text, pos);
  return new KqlError("semantic", `${message} (line ${line}, position ${col})`, line, col, token);
}

/** Parses an ISO-like datetime as KQL accepts it inside `datetime(...)`; undefined when invalid. */
export function parseDatetime(text: string): Date | undefined {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) return undefined;
  const iso = t.includes("T") || t.includes(" ") ? t.replace(" ", "T") : `${t}T00:00:00`;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`;
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let spaced = true;
  const push = (t: Omit<Tok, "spaced">): void => {
    toks.push({ ...t, spaced });
    spaced = false;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      spaced = true;
      continue;
    }
    if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      spaced = true;
      continue;
    }
    const start = i;
    if (ch === "'" || ch === '"' || ((ch === "@" || ch === "h" || ch === "H") && (text[i + 1] === "'" || text[i + 1] === '"'))) {
      const verbatim = ch === "@";
      if (ch !== "'" && ch !== '"') i++;
      const quote = text[i]!;
      i++;
      let value = "";
      for (;;) {
        if (i >= text.length) throw syntaxError(text, start, text.slice(start, start + 10), "Unterminated string literal");
        const c = text[i]!;
        if (c === quote) {
          if (verbatim && text[i + 1] === quote) {
            value += quote;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\\" && !verbatim) {
          const n = text[i + 1];
          const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
          if (n === undefined || map[n] === undefined) {
            throw syntaxError(text, i, text.slice(i, i + 2), "Invalid escape sequence in string literal");
          }
          value += map[n];
          i += 2;
          continue;
        }
        if (c === "\n" && !verbatim) throw syntaxError(text, start, text.slice(start, i), "Unterminated string literal");
        value += c;
        i++;
      }
      push({ kind: "string", text: text.slice(start, i), value, pos: start });
      continue;
    }
    if (/[0-9]/.test(ch)) {
      while (i < text.length && /[0-9]/.test(text[i]!)) i++;
      if (text[i] === "." && /[0-9]/.test(text[i + 1] ?? "")) {
        i++;
        while (i < text.length && /[0-9]/.test(text[i]!)) i++;
      }
      const num = Number(text.slice(start, i));
      const unitStart = i;
      while (i < text.length && /[A-Za-z]/.test(text[i]!)) i++;
      const unit = text.slice(unitStart, i);
      if (unit) {
        const factor = SPAN_UNITS[unit.toLowerCase()];
        if (factor === undefined) throw syntaxError(text, start, text.slice(start, i), `Invalid literal '${text.slice(start, i)}'`);
        push({ kind: "timespan", text: text.slice(start, i), value: new Timespan(num * factor), pos: start });
      } else {
        push({ kind: "number", text: text.slice(start, i), value: num, pos: start });
      }
      continue;
    }
    if (/[A-Za-z_$]/.test(ch)) {
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i]!)) i++;
      // Hyphenated operator names (project-away, mv-expand) are read whole so an error can name them.
      if (text[i] === "-" && /^(project|mv|make|parse|top|order)$/i.test(text.slice(start, i)) && /[A-Za-z]/.test(text[i + 1] ?? "")) {
        i++;
        while (i < text.length && /[A-Za-z-]/.test(text[i]!)) i++;
      }
      const word = text.slice(start, i);
      if (/^datetime$/i.test(word)) {
        let j = i;
        while (j < text.length && /\s/.test(text[j]!)) j++;
        if (text[j] === "(") {
          const close = text.indexOf(")", j);
          if (close < 0) throw syntaxError(text, start, word, "Missing ')' after datetime(");
          const inner = text.slice(j + 1, close).trim();
          let value: KqlValue;
          if (/^ago\s*\(|^now\s*\(/i.test(inner)) {
            throw syntaxError(text, start, word, "datetime() takes a literal date; use ago() or now() directly");
          }
          const unquoted = inner.replace(/^(['"])(.*)\1$/, "$2");
          if (unquoted === "" || /^null$/i.test(unquoted)) value = null;
          else {
            const d = parseDatetime(unquoted);
            if (!d) throw syntaxError(text, start, inner, `Invalid datetime literal '${inner}'`);
            value = d;
          }
          i = close + 1;
          push({ kind: "datetime", text: text.slice(start, i), value, pos: start });
          continue;
        }
      }
      push({ kind: "ident", text: word, pos: start });
      continue;
    }
    const p = PUNCT.find((x) => text.startsWith(x, i));
    if (!p) throw syntaxError(text, i, ch, `Unexpected character '${ch}'`);
    // `!in` only when it is the operator, not `!in` + letters of a longer name.
    if ((p === "!in" || p === "!in~") && /[A-Za-z0-9_]/.test(text[i + p.length] ?? "")) {
      push({ kind: "punct", text: "!", pos: i });
      i += 1;
      continue;
    }
    push({ kind: "punct", text: p, pos: i });
    i += p.length;
  }
  toks.push({ kind: "eof", text: "", pos: text.length, spaced: true });
  return toks;
}

const SUPPORTED_OPERATORS = "where, extend, project, summarize, distinct, order by, sort by, top, take, limit, count";
const STRING_OPS = ["has", "contains", "startswith", "endswith", "has_cs", "contains_cs"];

/** Parses a query of the subset; throws {@link KqlError}. */
export function parseKql(text: string): Query {
  const toks = tokenize(text);
  let p = 0;
  const peek = (k = 0): Tok => toks[Math.min(p + k, toks.length - 1)]!;
  const next = (): Tok => toks[p++]!;
  const isPunct = (s: string, k = 0): boolean => peek(k).kind === "punct" && peek(k).text === s;
  const isWord = (s: string, k = 0): boolean => peek(k).kind === "ident" && peek(k).text.toLowerCase() === s;
  const expectPunct = (s: string): Tok => {
    if (!isPunct(s)) throw syntaxError(text, peek().pos, peek().text, `Expected '${s}' but found '${peek().text || "end of query"}'`);
    return next();
  };
  const expectIdent = (what: string): Tok => {
    if (peek().kind !== "ident") throw syntaxError(text, peek().pos, peek().text, `Expected ${what} but found '${peek().text || "end of query"}'`);
    return next();
  };

  // Expressions, lowest precedence first.
  const orExpr = (): Expr => {
    let left = andExpr();
    while (isWord("or")) {
      next();
      left = { type: "bin", op: "or", left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): Expr => {
    let left = cmpExpr();
    while (isWord("and")) {
      next();
      left = { type: "bin", op: "and", left, right: cmpExpr() };
    }
    return left;
  };
  const exprList = (): Expr[] => {
    expectPunct("(");
    const items: Expr[] = [];
    if (!isPunct(")")) {
      items.push(addExpr());
      while (isPunct(",")) {
        next();
        items.push(addExpr());
      }
    }
    expectPunct(")");
    return items;
  };
  const cmpExpr = (): Expr => {
    const left = addExpr();
    const t = peek();
    if (t.kind === "punct" && ["==", "!=", "=~", "!~", "<", "<=", ">", ">="].includes(t.text)) {
      next();
      return { type: "bin", op: t.text, left, right: addExpr() };
    }
    if (t.kind === "punct" && (t.text === "!in" || t.text === "!in~")) {
      next();
      return { type: "in", negate: true, caseless: t.text === "!in~", value: left, list: exprList() };
    }
    if (isWord("in")) {
      next();
      let caseless = false;
      if (isPunct("~") && !peek().spaced) {
        next();
        caseless = true;
      }
      return { type: "in", negate: false, caseless, value: left, list: exprList() };
    }
    let negate = false;
    if (isPunct("!") && peek(1).kind === "ident" && !peek(1).spaced) {
      const w = peek(1).text.toLowerCase();
      if (STRING_OPS.includes(w) || w === "between") {
        next();
        negate = true;
      }
    }
    if (isWord("between")) {
      next();
      expectPunct("(");
      const low = addExpr();
      expectPunct("..");
      const high = addExpr();
      expectPunct(")");
      return { type: "between", negate, value: left, low, high };
    }
    if (peek().kind === "ident" && STRING_OPS.includes(peek().text.toLowerCase())) {
      const op = next().text.toLowerCase();
      return { type: "bin", op: negate ? `!${op}` : op, left, right: addExpr() };
    }
    if (negate) throw syntaxError(text, peek().pos, peek().text, "Expected a string operator after '!'");
    return left;
  };
  const addExpr = (): Expr => {
    let left = mulExpr();
    while (isPunct("+") || isPunct("-")) {
      const op = next().text;
      left = { type: "bin", op, left, right: mulExpr() };
    }
    return left;
  };
  const mulExpr = (): Expr => {
    let left = unary();
    while (isPunct("*") || isPunct("/") || isPunct("%")) {
      const op = next().text;
      left = { type: "bin", op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (isPunct("-")) {
      const t = next();
      const inner = unary();
      if (inner.type === "lit" && typeof inner.value === "number") return { type: "lit", value: -inner.value };
      if (inner.type === "lit" && inner.value instanceof Timespan) return { type: "lit", value: new Timespan(-inner.value.ms) };
      void t;
      return { type: "bin", op: "-", left: { type: "lit", value: 0 }, right: inner };
    }
    return primary();
  };
  const primary = (): Expr => {
    const t = peek();
    if (t.kind === "string" || t.kind === "number" || t.kind === "timespan" || t.kind === "datetime") {
      next();
      return { type: "lit", value: t.value ?? null };
    }
    if (t.kind === "punct" && t.text === "(") {
      next();
      const e = orExpr();
      expectPunct(")");
      return e;
    }
    if (t.kind === "ident") {
      next();
      const lower = t.text.toLowerCase();
      if (lower === "true" || lower === "false") return { type: "lit", value: lower === "true" };
      if (lower === "null") return { type: "lit", value: null };
      if (isPunct("(")) {
        next();
        const args: Expr[] = [];
        let star = false;
        if (!isPunct(")")) {
          for (;;) {
            if (isPunct("*")) {
              next();
              star = true;
            } else {
              args.push(orExpr());
            }
            if (!isPunct(",")) break;
            next();
          }
        }
        expectPunct(")");
        return { type: "call", name: lower, args, star, pos: t.pos };
      }
      return { type: "col", name: t.text, pos: t.pos };
    }
    if (t.kind === "punct" && t.text === "[") {
      // ['Column name'] addresses a column whose name is not an identifier.
      next();
      const s = peek();
      if (s.kind !== "string") throw syntaxError(text, s.pos, s.text, "Expected a quoted column name after '['");
      next();
      expectPunct("]");
      return { type: "col", name: String(s.value), pos: s.pos };
    }
    throw syntaxError(text, t.pos, t.text, `Unexpected '${t.text || "end of query"}' where an expression was expected`);
  };

  const assignment = (): Assignment => {
    if (peek().kind === "ident" && isPunct("=", 1)) {
      const name = next().text;
      next();
      return { name, expr: orExpr() };
    }
    return { expr: orExpr() };
  };
  const assignments = (): Assignment[] => {
    const items = [assignment()];
    while (isPunct(",")) {
      next();
      items.push(assignment());
    }
    return items;
  };
  const sortKey = (): { expr: Expr; descending: boolean } => {
    const expr = addExpr();
    let descending = true;
    if (isWord("asc") || isWord("desc")) descending = next().text.toLowerCase() === "desc";
    if (isWord("nulls")) {
      next();
      expectIdent("first or last");
    }
    return { expr, descending };
  };
  const integer = (what: string): number => {
    const t = peek();
    if (t.kind !== "number" || !Number.isInteger(t.value)) throw syntaxError(text, t.pos, t.text, `Expected ${what}`);
    next();
    return t.value as number;
  };

  const first = peek();
  if (first.kind !== "ident") throw syntaxError(text, first.pos, first.text, "Expected a table name at the start of the query");
  if (["let", "union", "search", "print", "datatable", "range", "find"].includes(first.text.toLowerCase())) {
    throw semanticError(text, first.pos, first.text, `Unsupported statement '${first.text}': a query here starts with a table name`);
  }
  next();
  const query: Query = { table: first.text, ops: [] };
  while (!(peek().kind === "eof")) {
    expectPunct("|");
    const opTok = peek();
    if (opTok.kind !== "ident") throw syntaxError(text, opTok.pos, opTok.text, "Expected an operator after '|'");
    next();
    const name = opTok.text.toLowerCase();
    switch (name) {
      case "where":
      case "filter":
        query.ops.push({ op: "where", pred: orExpr() });
        break;
      case "extend":
        query.ops.push({ op: "extend", items: assignments() });
        break;
      case "project":
        query.ops.push({ op: "project", items: assignments() });
        break;
      case "summarize": {
        const aggs = isWord("by") ? [] : assignments();
        let by: Assignment[] = [];
        if (isWord("by")) {
          next();
          by = assignments();
        }
        query.ops.push({ op: "summarize", aggs, by });
        break;
      }
      case "order":
      case "sort": {
        if (!isWord("by")) throw syntaxError(text, peek().pos, peek().text, `Expected 'by' after '${opTok.text}'`);
        next();
        const keys = [sortKey()];
        while (isPunct(",")) {
          next();
          keys.push(sortKey());
        }
        query.ops.push({ op: "order", keys });
        break;
      }
      case "top": {
        const count = integer("a row count after 'top'");
        if (!isWord("by")) throw syntaxError(text, peek().pos, peek().text, "Expected 'by' in 'top N by column'");
        next();
        query.ops.push({ op: "top", count, key: sortKey() });
        break;
      }
      case "take":
      case "limit":
        query.ops.push({ op: "take", count: integer(`a row count after '${opTok.text}'`) });
        break;
      case "count":
        query.ops.push({ op: "count" });
        break;
      case "distinct":
        query.ops.push({ op: "summarize", aggs: [], by: assignments() });
        break;
      default:
        throw semanticError(
          text,
          opTok.pos,
          opTok.text,
          `Unsupported operator '${opTok.text}': the emulator supports ${SUPPORTED_OPERATORS}`,
        );
    }
    if (!(peek().kind === "eof") && !isPunct("|")) {
      throw syntaxError(text, peek().pos, peek().text, `Unexpected '${peek().text}' after the '${opTok.text}' operator`);
    }
  }
  return query;
}
