/**
 * Just enough of a Bicep reader for the infra tests: Bicep cannot be compiled here, so the tests read the
 * source text. It understands single-quoted strings (with escapes and ${} holes), comments, brackets,
 * `resource`, `var` and `param` declarations and object properties; nothing more.
 */

/** A `resource` declaration: symbolic name, type, API version and the text of its body. */
export interface BicepResource {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  body: string;
}

/** One `{ name: ..., value: ... }` entry of an appSettings array, value as Bicep source. */
export interface BicepAppSetting {
  name: string;
  value: string;
}

/** Replaces comments with spaces (keeping offsets) so that a commented-out setting never counts. */
export function stripComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") {
        out += " ";
        i++;
      }
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the string that opens at `start` (a single quote). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  let holes = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (holes === 0 && c === "$" && text[i + 1] === "{") {
      holes = 1;
      i += 2;
    } else if (holes > 0 && c === "{") {
      holes++;
      i++;
    } else if (holes > 0 && c === "}") {
      holes--;
      i++;
    } else if (holes > 0 && c === "'") i = stringEnd(text, i);
    else if (holes === 0 && c === "'") return i + 1;
    else i++;
  }
  throw new Error(`unterminated string at offset ${start}`);
}

/** Index of the bracket that closes the one at `open`. */
export function matching(text: string, open: number): number {
  const pairs: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
  const stack: string[] = [];
  let i = open;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (c === "'") {
      i = stringEnd(text, i);
      continue;
    }
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === "}" || c === "]" || c === ")") {
      if (stack.pop() !== c) throw new Error(`unbalanced "${c}" at offset ${i}`);
      if (stack.length === 0) return i;
    }
    i++;
  }
  throw new Error(`no closing bracket for offset ${open}`);
}

/** Splits the inside of an object or array into its top-level items (newline- or comma-separated). */
export function topLevelItems(inner: string): string[] {
  const items: string[] = [];
  let current = "";
  let i = 0;
  while (i < inner.length) {
    const c = inner[i] ?? "";
    if (c === "'") {
      const end = stringEnd(inner, i);
      current += inner.slice(i, end);
      i = end;
    } else if (c === "{" || c === "[" || c === "(") {
      const end = matching(inner, i);
      current += inner.slice(i, end + 1);
      i = end + 1;
    } else if (c === "\n" || c === ",") {
      if (current.trim()) items.push(current.trim());
      current = "";
      i++;
    } else {
      current += c;
      i++;
    }
  }
  if (current.trim()) items.push(current.trim());
  return items;
}

/** The properties of an object literal's inside, as key → Bicep source of the value. */
export function properties(inner: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of topLevelItems(inner)) {
    const m = /^'?([A-Za-z0-9_.\-$]+)'?\s*:\s*([\s\S]*)$/.exec(item);
    if (m?.[1] && m[2] !== undefined) out.set(m[1], m[2].trim());
  }
  return out;
}

/** Reads a plain Bicep string literal ('text' without holes); undefined for any other expression. */
export function literal(source: string): string | undefined {
  const m = /^'((?:[^'\\$]|\\.|\$(?!\{))*)'$/.exec(source.trim());
  return m?.[1]?.replace(/\\(.)/g, "$1");
}

/** Every `resource` declaration in a file. */
export function resources(text: string): BicepResource[] {
  const clean = stripComments(text);
  const out: BicepResource[] = [];
  const decl = /^\s*resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s+(existing\s+)?=/gm;
  for (let m = decl.exec(clean); m; m = decl.exec(clean)) {
    const open = clean.indexOf("{", decl.lastIndex);
    const close = matching(clean, open);
    out.push({ symbol: m[1] ?? "", type: m[2] ?? "", apiVersion: m[3] ?? "", existing: Boolean(m[4]), body: clean.slice(open + 1, close) });
  }
  return out;
}

/** Every `var name = 'literal'` in a file. */
export function stringVars(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of stripComments(text).matchAll(/^\s*var\s+(\w+)\s*=\s*('(?:[^'\\]|\\.)*')\s*$/gm)) {
    const value = literal(m[2] ?? "");
    if (m[1] && value !== undefined) out.set(m[1], value);
  }
  return out;
}

/** Every `param name type = default` in a file, default as Bicep source. */
export function paramDefaults(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of stripComments(text).matchAll(/^\s*param\s+(\w+)\s+\w+\s*=\s*(.+?)\s*$/gm)) {
    if (m[1] && m[2]) out.set(m[1], m[2]);
  }
  return out;
}

/** The entries of every `appSettings: [ ... ]` array in a file, in order. */
export function appSettings(text: string): BicepAppSetting[] {
  const clean = stripComments(text);
  const out: BicepAppSetting[] = [];
  const key = /\bappSettings\s*:\s*\[/g;
  for (let m = key.exec(clean); m; m = key.exec(clean)) {
    const open = key.lastIndex - 1;
    const close = matching(clean, open);
    for (const item of topLevelItems(clean.slice(open + 1, close))) {
      if (!item.startsWith("{")) throw new Error(`appSettings entry is not an object: ${item}`);
      const props = properties(item.slice(1, -1));
      const name = literal(props.get("name") ?? "");
      const value = props.get("value");
      if (name === undefined || value === undefined) throw new Error(`appSettings entry needs a literal name and a value: ${item}`);
      out.push({ name, value });
    }
  }
  return out;
}
