/**
 * Reads APIM policy documents the way the service stores them (`rawxml`): XML with raw C# policy
 * expressions (`@(...)`, `@{...}`) that may hold `<`, `&&` and quotes, so a strict XML parser alone
 * rejects them. Expressions are masked in place (same length, same lines) before parsing with saxes,
 * and unmasked again in the tree the rules read.
 */
import { SaxesParser } from "saxes";

/** One element of a parsed policy, with the line where its start tag begins (1-based). */
export interface PolicyElement {
  name: string;
  attributes: Record<string, string>;
  children: PolicyElement[];
  /** Text directly inside the element (CDATA included), expressions restored. */
  text: string;
  line: number;
  parent?: PolicyElement;
}

/** The outcome of reading one policy document. */
export type PolicyParse =
  | { ok: true; root: PolicyElement }
  | { ok: false; line: number; column: number; message: string };

// Private-use code points stand in for the characters that break XML inside an expression. Each is
// one UTF-16 unit, so offsets, columns and lines stay where they were.
const MASK: Record<string, string> = { "<": "\uE000", "&": "\uE001", '"': "\uE002", "'": "\uE003" };
const UNMASK: Record<string, string> = { "\uE000": "<", "\uE001": "&", "\uE002": '"', "\uE003": "'" };
const ENTITY = /^&(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9A-Fa-f]+);/;

/** Replaces the XML-breaking characters of every policy expression, keeping length and line breaks. */
export function maskExpressions(xml: string): string {
  const out = xml.split("");
  let i = 0;
  const n = xml.length;
  const maskRange = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      const c = xml[k] as string;
      if (c === "&" && ENTITY.test(xml.slice(k, k + 12))) continue;
      const m = MASK[c];
      if (m !== undefined) out[k] = m;
    }
  };
  const tryExpression = (at: number): number => {
    const open = xml[at + 1];
    if (xml[at] !== "@" || (open !== "(" && open !== "{")) return -1;
    const end = scanCode(xml, at + 2, open === "(" ? ")" : "}");
    if (end < 0) return -1;
    maskRange(at, end);
    return end;
  };
  while (i < n) {
    if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      i = end < 0 ? n : end + 3;
    } else if (xml.startsWith("<![CDATA[", i)) {
      const end = xml.indexOf("]]>", i + 9);
      i = end < 0 ? n : end + 3;
    } else if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (xml[i] === "<") {
      i = skipTag(i + 1);
    } else {
      const end = tryExpression(i);
      i = end < 0 ? i + 1 : end;
    }
  }
  return out.join("");

  // Inside a start or end tag: only quoted attribute values can hold expressions.
  function skipTag(from: number): number {
    let k = from;
    while (k < n && xml[k] !== ">") {
      const q = xml[k];
      if (q === '"' || q === "'") {
        k++;
        while (k < n && xml[k] !== q) {
          const end = tryExpression(k);
          k = end < 0 ? k + 1 : end;
        }
        k++;
      } else {
        k++;
      }
    }
    return k + 1;
  }
}

/**
 * Scans C# code from `from` up to the `closer` that balances it, skipping string and char literals
 * and comments. Returns the index after the closer, or -1 when the code never closes.
 */
function scanCode(s: string, from: number, closer: string): number {
  let depth = 0;
  let i = from;
  while (i < s.length) {
    const c = s[i];
    const next = s[i + 1];
    if (c === "/" && next === "/") {
      const eol = s.indexOf("\n", i);
      i = eol < 0 ? s.length : eol + 1;
    } else if (c === "/" && next === "*") {
      const end = s.indexOf("*/", i + 2);
      i = end < 0 ? s.length : end + 2;
    } else if (c === '"') {
      i = scanString(s, i + 1, false, false);
    } else if ((c === "@" || c === "$") && next === '"') {
      i = scanString(s, i + 2, c === "@", c === "$");
    } else if ((c === "@" && next === "$") || (c === "$" && next === "@")) {
      i = s[i + 2] === '"' ? scanString(s, i + 3, true, true) : i + 2;
    } else if (c === "'") {
      i = scanChar(s, i + 1);
    } else if (c === "(" || c === "{" || c === "[") {
      depth++;
      i++;
    } else if (c === ")" || c === "}" || c === "]") {
      if (depth === 0) return c === closer ? i + 1 : -1;
      depth--;
      i++;
    } else {
      i++;
    }
    if (i < 0) return -1;
  }
  return -1;
}

function scanString(s: string, from: number, verbatim: boolean, interpolated: boolean): number {
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (!verbatim && c === "\\") {
      i += 2;
    } else if (c === '"') {
      if (verbatim && s[i + 1] === '"') i += 2;
      else return i + 1;
    } else if (interpolated && c === "{") {
      if (s[i + 1] === "{") i += 2;
      else {
        i = scanCode(s, i + 1, "}");
        if (i < 0) return -1;
      }
    } else if (!verbatim && c === "\n") {
      return -1;
    } else {
      i++;
    }
  }
  return -1;
}

function scanChar(s: string, from: number): number {
  let i = from;
  while (i < s.length && i < from + 8) {
    if (s[i] === "\\") i += 2;
    else if (s[i] === "'") return i + 1;
    else i++;
  }
  // Not a char literal after all (an apostrophe in prose); carry on past it.
  return from;
}

function unmask(text: string): string {
  return /[\uE000-\uE003]/.test(text) ? text.replace(/[\uE000-\uE003]/g, (c) => UNMASK[c] ?? c) : text;
}

/** Parses a policy document into a tree with line numbers; never throws. */
export function parsePolicy(xml: string): PolicyParse {
  const source = maskExpressions(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml);
  const parser = new SaxesParser({ position: true });
  const stack: PolicyElement[] = [];
  let root: PolicyElement | undefined;
  let startLine = 1;
  let failure: { line: number; column: number; message: string } | undefined;

  parser.on("error", (err) => {
    if (failure === undefined) {
      // saxes prefixes "line:column: "; keep only the reason, the position is reported apart.
      failure = { line: parser.line, column: parser.column, message: err.message.replace(/^\d+:\d+:\s*/, "") };
    }
  });
  parser.on("opentagstart", () => {
    startLine = parser.line;
  });
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[k] = unmask(String(v));
    const parent = stack[stack.length - 1];
    const el: PolicyElement = { name: tag.name, attributes, children: [], text: "", line: startLine };
    if (parent !== undefined) {
      el.parent = parent;
      parent.children.push(el);
    } else if (root === undefined) {
      root = el;
    }
    stack.push(el);
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  const addText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += unmask(t);
  };
  parser.on("text", addText);
  parser.on("cdata", addText);

  try {
    parser.write(source).close();
  } catch (err) {
    if (failure === undefined) {
      failure = { line: parser.line, column: parser.column, message: err instanceof Error ? err.message : "unreadable policy" };
    }
  }
  if (failure !== undefined) return { ok: false, ...failure };
  if (root === undefined) return { ok: false, line: 1, column: 0, message: "the document has no root element" };
  return { ok: true, root };
}

const cache = new WeakMap<object, PolicyParse>();

/** {@link parsePolicy} memoised per document object, so each rule does not parse the same XML again. */
export function parsePolicyDoc(doc: { xml: string }): PolicyParse {
  let parsed = cache.get(doc);
  if (parsed === undefined) {
    parsed = parsePolicy(doc.xml);
    cache.set(doc, parsed);
  }
  return parsed;
}

/** Every element below `el` (depth first, document order), not `el` itself. */
export function descendants(el: PolicyElement): PolicyElement[] {
  const out: PolicyElement[] = [];
  const walk = (e: PolicyElement): void => {
    for (const c of e.children) {
      out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

/** The policy section (`inbound`, `backend`, `outbound`, `on-error`) an element sits in, if any. */
export function sectionOf(el: PolicyElement): string | undefined {
  let cur: PolicyElement | undefined = el;
  while (cur?.parent !== undefined) {
    if (cur.parent.parent === undefined && cur.parent.name === "policies") return cur.name;
    cur = cur.parent;
  }
  return undefined;
}

/** True when a value is a policy expression rather than a literal. */
export function isExpression(value: string): boolean {
  const v = value.trim();
  return v.startsWith("@(") || v.startsWith("@{");
}
