import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../src/detect/redact";

describe("redactSecrets", () => {
  it("removes JWTs, bearer values and key-like query values but keeps the words around them", () => {
    const text = "IDX10503: Signature validation failed. Token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcDEF_ghi-jkl; header Authorization: Bearer abc.def.ghi; url ?subscription-key=0123456789abcdef&sig=XyZ%2B";
    const out = redactSecrets(text);
    expect(out).toContain("Signature validation failed");
    expect(out).not.toContain("eyJ");
    expect(out).not.toContain("abc.def.ghi");
    expect(out).not.toContain("0123456789abcdef");
    expect(out).not.toContain("XyZ");
  });

  it("leaves ordinary messages alone", () => {
    const text = "Audience validation failed. Audiences: 'api://people-old'. Did not match.";
    expect(redactSecrets(text)).toBe(text);
  });
});
