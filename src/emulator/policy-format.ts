/**
 * Policy documents as ARM returns them. `rawxml` is the document as authored (C# expressions raw, so
 * not always well-formed XML); `xml` escapes the markup characters inside `@(...)` and `@{...}`
 * expressions so that the document parses: `<`, `>` and `&` everywhere, and `"` too when the expression
 * sits in an attribute value. Both use CRLF line endings, as the service does.
 */

/** Normalises line endings to CRLF. */
export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

/** The `xml` form of a raw policy document: expressions escaped, markup left alone. */
export function escapePolicyExpressions(raw: string): string {
  let out = "";
  let inTag = false;
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    const next = raw[i + 1];
    if (ch === "@" && (next === "(" || next === "{")) {
      const end = findExpressionEnd(raw, i + 1);
      out += "@" + escapeExpression(raw.slice(i + 1, end), inTag);
      i = end;
      continue;
    }
    if (ch === "<") inTag = true;
    else if (ch === ">") inTag = false;
    out += ch;
    i++;
  }
  return out;
}

/** Index just past the bracket that closes the one at `open`, honouring C# string literals. */
function findExpressionEnd(text: string, open: number): number {
  const opening = text[open];
  const closing = opening === "(" ? ")" : "}";
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      // A verbatim or regular C# string: skip to its end so brackets inside do not count.
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\") i++;
        i++;
      }
      continue;
    }
    if (ch === opening) depth++;
    else if (ch === closing) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

function escapeExpression(expr: string, inAttribute: boolean): string {
  // Entities already present stay as they are, so escaping twice changes nothing.
  const escaped = expr
    .replace(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/gi, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
  return inAttribute ? escaped.replace(/"/g, "&quot;") : escaped;
}
