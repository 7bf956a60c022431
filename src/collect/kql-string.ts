/**
 * The one way an outside value (an API name typed in chat, an instance id) enters a KQL query: as a
 * single-quoted string literal with every character that could end or bend the literal escaped.
 */
export function kqlString(value: string): string {
  let out = "'";
  for (const ch of value) {
    switch (ch) {
      case "\\":
        out += "\\\\";
        break;
      case "'":
        out += "\\'";
        break;
      case '"':
        out += '\\"';
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        // Other control and line-separator characters have no place in an identifier or a name;
        // dropping them keeps the literal on one line whatever the parser does with them.
        if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) break;
        out += ch;
      }
    }
  }
  return out + "'";
}

/** A KQL `datetime(...)` literal for an instant. */
export function kqlDatetime(at: Date): string {
  return `datetime(${at.toISOString()})`;
}
