/**
 * The Azure Monitor metrics `$filter` grammar: `Dim eq 'v'`, `Dim ne 'v'`, `Dim sw 'v'`, `Dim eq '*'`
 * (split by every value), combined with `and`, `or` and parentheses; `and` binds tighter than `or`.
 */

/** A parsed metrics filter. */
export type MetricFilter =
  | { op: "and" | "or"; left: MetricFilter; right: MetricFilter }
  | { op: "eq" | "ne" | "sw"; dimension: string; value: string };

/** A filter the service would refuse, with the reason. */
export class MetricFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetricFilterError";
  }
}

type Tok = { kind: "word" | "string" | "(" | ")"; text: string; pos: number };

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")") {
      out.push({ kind: ch, text: ch, pos: i++ });
    } else if (ch === "'") {
      const start = i++;
      let value = "";
      for (;;) {
        if (i >= text.length) throw new MetricFilterError(`unterminated string at position ${start}`);
        if (text[i] === "'") {
          // OData escapes a quote by doubling it.
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      out.push({ kind: "string", text: value, pos: start });
    } else {
      const start = i;
      while (i < text.length && !/[\s()']/.test(text[i]!)) i++;
      out.push({ kind: "word", text: text.slice(start, i), pos: start });
    }
  }
  return out;
}

/** Parses a `$filter`; throws {@link MetricFilterError} naming the position of the problem. */
export function parseMetricFilter(text: string): MetricFilter {
  const toks = tokenize(text);
  let p = 0;
  const peekWord = (w: string): boolean => toks[p]?.kind === "word" && toks[p]!.text.toLowerCase() === w;
  const orExpr = (): MetricFilter => {
    let left = andExpr();
    while (peekWord("or")) {
      p++;
      left = { op: "or", left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): MetricFilter => {
    let left = primary();
    while (peekWord("and")) {
      p++;
      left = { op: "and", left, right: primary() };
    }
    return left;
  };
  const primary = (): MetricFilter => {
    const t = toks[p];
    if (!t) throw new MetricFilterError("the filter ends where a condition was expected");
    if (t.kind === "(") {
      p++;
      const inner = orExpr();
      if (toks[p]?.kind !== ")") throw new MetricFilterError(`expected ')' at position ${toks[p]?.pos ?? text.length}`);
      p++;
      return inner;
    }
    if (t.kind !== "word") throw new MetricFilterError(`expected a dimension name at position ${t.pos}`);
    const op = toks[p + 1];
    const value = toks[p + 2];
    if (!op || op.kind !== "word" || !["eq", "ne", "sw"].includes(op.text.toLowerCase())) {
      throw new MetricFilterError(`expected eq, ne or sw after '${t.text}' at position ${op?.pos ?? text.length}`);
    }
    if (!value || value.kind !== "string") {
      throw new MetricFilterError(`expected a quoted value at position ${value?.pos ?? text.length}`);
    }
    p += 3;
    return { op: op.text.toLowerCase() as "eq" | "ne" | "sw", dimension: t.text, value: value.text };
  };
  const tree = orExpr();
  if (p < toks.length) throw new MetricFilterError(`unexpected '${toks[p]!.text}' at position ${toks[p]!.pos}`);
  return tree;
}

/** Dimension names a filter mentions, lower-cased, in first-mention order: these split the result. */
export function filterDimensions(f: MetricFilter | undefined): string[] {
  const out: string[] = [];
  const walk = (n: MetricFilter): void => {
    if (!("dimension" in n)) {
      walk(n.left);
      walk(n.right);
      return;
    }
    if (!out.includes(n.dimension.toLowerCase())) {
      out.push(n.dimension.toLowerCase());
    }
  };
  if (f) walk(f);
  return out;
}

/** Whether a series with these dimension values (keys lower-case) passes the filter. */
export function matchesFilter(f: MetricFilter | undefined, dims: Record<string, string>): boolean {
  if (!f) return true;
  if (!("dimension" in f)) {
    return f.op === "and"
      ? matchesFilter(f.left, dims) && matchesFilter(f.right, dims)
      : matchesFilter(f.left, dims) || matchesFilter(f.right, dims);
  }
  const actual = (dims[f.dimension.toLowerCase()] ?? "").toLowerCase();
  const wanted = f.value.toLowerCase();
  if (f.op === "eq") return wanted === "*" || actual === wanted;
  if (f.op === "ne") return actual !== wanted;
  return actual.startsWith(wanted);
}
