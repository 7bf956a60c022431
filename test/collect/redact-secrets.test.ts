import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../src/collect/redact-secrets";

const jwt =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJhdWQiOiJhcGk6Ly9vcmRlcnMiLCJpc3MiOiJodHRwczovL2xvZ2luIn0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2VuLXRoYXQtaXMtbG9uZw";

describe("redactSecrets", () => {
  it("removes JWTs, bearer tokens and subscription keys from gateway error messages", () => {
    const msg = `JWT not present or invalid: ${jwt}; header Authorization: Bearer ${jwt}`;
    const out = redactSecrets(msg);
    expect(out).not.toContain("eyJ");
    expect(out).toContain("JWT not present or invalid");
    const keyMsg = "Access denied due to invalid subscription key 4f9c2a7be0d14c1e9a8b7c6d5e4f3a21. Make sure to provide a valid key";
    expect(redactSecrets(keyMsg)).toBe("Access denied due to invalid subscription key [redacted]. Make sure to provide a valid key");
    expect(redactSecrets("Authorization: Bearer abc.def.ghi")).toBe("Authorization: Bearer [redacted]");
  });

  it("removes key=value credentials and long base64 keys", () => {
    expect(redactSecrets("GET /orders?subscription-key=abc123&x=1")).toBe("GET /orders?subscription-key=[redacted]&x=1");
    expect(redactSecrets("sig=Zm9vYmFyYmF6cXV4 failed")).toBe("sig=[redacted] failed");
    const b64 = "q9Zx2kL8vB7nM3pR5tY1uW4eA6sD0fG2hJ8kL3zX7cV9bN1mQ==";
    expect(redactSecrets(`key material ${b64} rejected`)).toBe("key material [redacted] rejected");
  });

  it("leaves ordinary messages, ARM ids and GUIDs readable", () => {
    const id = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-prod/providers/Microsoft.ApiManagement/service/contoso";
    expect(redactSecrets(`Backend at ${id} returned 502`)).toBe(`Backend at ${id} returned 502`);
    expect(redactSecrets("Audience validation failed: aud api://orders not allowed")).toBe("Audience validation failed: aud api://orders not allowed");
    expect(redactSecrets("correlation 0f8fad5b-d9cb-469f-a165-70867728950e")).toBe("correlation 0f8fad5b-d9cb-469f-a165-70867728950e");
  });
});
