import { ManagedIdentityCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { createCredential, staticTokenCredential } from "../../src/collect/create-credential";
import { loadSettings } from "../../src/config/settings";

const env = { AzureWebJobsStorage: "UseDevelopmentStorage=true" };

describe("createCredential", () => {
  it("answers with the static token, valid for an hour, when one is configured", async () => {
    const cred = createCredential(loadSettings({ ...env, APIMBOT_STATIC_BEARER_TOKEN: "emu-token-123" }));
    const token = await cred.getToken("https://management.azure.com/.default");
    expect(token?.token).toBe("emu-token-123");
    const fixed = await staticTokenCredential("t", () => 1_000).getToken([]);
    expect(fixed).toEqual({ token: "t", expiresOnTimestamp: 1_000 + 3_600_000 });
  });

  it("uses the user-assigned managed identity when a client id is set", () => {
    const cred = createCredential(loadSettings({ ...env, AZURE_CLIENT_ID: "2b8f6a1c-0d3e-4f5a-9b7c-8d6e5f4a3b2c" }));
    expect(cred).toBeInstanceOf(ManagedIdentityCredential);
  });
});
