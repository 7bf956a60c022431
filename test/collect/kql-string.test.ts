import { describe, expect, it } from "vitest";
import { kqlDatetime, kqlString } from "../../src/collect/kql-string";
import { parseKql } from "../../src/emulator/kql";

/** Reads back the value of a single-quoted KQL literal the way a KQL tokenizer does. */
function unquote(literal: string): string {
  expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
  const body = literal.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "'") throw new Error(`unescaped quote at ${i} in ${literal}`);
    if (ch === "\\") {
      const n = body[++i]!;
      out += ({ n: "\n", r: "\r", t: "\t", "\\": "\\", "'": "'", '"': '"' } as Record<string, string>)[n] ?? `?${n}`;
    } else out += ch;
  }
  return out;
}

describe("kqlString", () => {
  it("quotes plain API names unchanged", () => {
    expect(kqlString("orders-api")).toBe("'orders-api'");
    expect(kqlString("echo-api;rev=2")).toBe("'echo-api;rev=2'");
  });

  it("keeps an injection attempt inside the literal", () => {
    const hostile = "x' or 1 == 1 | take 100000 //";
    const literal = kqlString(hostile);
    expect(unquote(literal)).toBe(hostile);
    const query = `ApiManagementGatewayLogs | where ApiId == ${literal} | take 5`;
    const parsed = parseKql(query);
    // The hostile `take` never becomes an operator: the pipeline is exactly where + take 5.
    expect(parsed.ops.map((o) => o.op)).toEqual(["where", "take"]);
  });

  it("escapes backslashes, double quotes and line breaks, and drops other control characters", () => {
    expect(unquote(kqlString("a\\'b"))).toBe("a\\'b");
    expect(unquote(kqlString('say "hi"'))).toBe('say "hi"');
    expect(unquote(kqlString("line1\nline2\r\n\tend"))).toBe("line1\nline2\r\n\tend");
    expect(kqlString("a\u0000b\u0007c\u2028d")).toBe("'abcd'");
    expect(kqlString("a\\")).toBe("'a\\\\'");
  });

  it("keeps non-ASCII names intact", () => {
    expect(unquote(kqlString("ÄPI-café-注文"))).toBe("ÄPI-café-注文");
  });

  it("formats datetimes as KQL literals", () => {
    expect(kqlDatetime(new Date("2026-11-27T10:05:00Z"))).toBe("datetime(2026-11-27T10:05:00.000Z)");
  });
});
