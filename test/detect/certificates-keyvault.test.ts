import { describe, expect, it } from "vitest";
import { certificatesDetector } from "../../src/detect/certificates";
import { keyVaultDetector } from "../../src/detect/keyvault";
import { fingerprint } from "../../src/domain/fingerprint";
import type { NamedValueInfo } from "../../src/domain/snapshot";
import { config, context, estate, inDays, instance, snapshot } from "./fixtures";

describe("certificate-expiring", () => {
  const inst = instance("shop-apim", {
    hostnameConfigurations: [
      { type: "Proxy", hostName: "shop-apim.azure-api.net", defaultSslBinding: false, certificateSource: "BuiltIn" },
      { type: "Proxy", hostName: "api.shop.example.com", certificateSource: "KeyVault", keyVaultId: "https://kv-shop.vault.azure.net/secrets/api-tls", certificate: { expiry: inDays(12), thumbprint: "8A1F0C2B7D3E4F5A6B7C8D9E0F1A2B3C4D5E6F70", subject: "CN=api.shop.example.com" } },
      { type: "DeveloperPortal", hostName: "developer.shop.example.com", certificateSource: "Custom", certificate: { expiry: inDays(200), thumbprint: "11223344556677889900AABBCCDDEEFF00112233", subject: "CN=developer.shop.example.com" } },
    ],
  });

  it("reports the hostname certificate inside 30 days and not the one with 200 days left", () => {
    const found = certificatesDetector.detect(context({ estate: estate(snapshot(inst)) }));
    expect(found).toHaveLength(1);
    const [d] = found;
    expect(d?.severity).toBe("warning");
    expect(d?.title).toBe("Certificate for Proxy hostname api.shop.example.com on shop-apim expires in 12 days (2026-03-22)");
    expect(d?.id).toBe(fingerprint("certificate-expiring", `${inst.id}/hostnameConfigurations/api.shop.example.com`));
    expect(d?.summary).toContain("Key Vault");
    expect(d?.remediation[0]).toContain("api.shop.example.com");
  });

  it("also reports uploaded certificates, critical within a week", () => {
    const cert = { id: `${inst.id}/certificates/backend-mtls`, name: "backend-mtls", subject: "CN=shop-apim client", thumbprint: "AABBCCDDEEFF00112233445566778899AABBCCDD", expirationDate: inDays(3) };
    const found = certificatesDetector.detect(context({ estate: estate(snapshot(instance("shop-apim"), { config: config({ certificates: [cert] }) })) }));
    expect(found.map((d) => [d.resourceId, d.severity])).toEqual([[cert.id, "critical"]]);
  });
});

describe("keyvault-refresh-failed", () => {
  const inst = instance("shop-apim");
  const nv = (name: string, code: string | undefined, extra: Partial<NamedValueInfo> = {}): NamedValueInfo => ({
    id: `${inst.id}/namedValues/${name}`,
    name,
    displayName: name,
    secret: true,
    tags: [],
    keyVault: { secretIdentifier: `https://kv-shop.vault.azure.net/secrets/${name}`, lastStatus: code === undefined ? undefined : { code, message: code === "Success" ? undefined : "Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'", timeStampUtc: "2026-03-10T08:14:02Z" } },
    ...extra,
  });

  it("reports named values whose last refresh failed, naming the identity and secret but never a value", () => {
    const values = [nv("payments-backend-key", "Forbidden", { keyVault: { secretIdentifier: "https://kv-shop.vault.azure.net/secrets/payments-backend-key/0f9e8d7c6b5a", identityClientId: "3c1e5a7b-9d2f-4a6c-8e0b-1f3d5c7a9e2b", lastStatus: { code: "Forbidden", message: "Access denied", timeStampUtc: "2026-03-10T08:14:02Z" } } }), nv("crm-token", "Success"), nv("plain", undefined)];
    const found = keyVaultDetector.detect(context({ estate: estate(snapshot(inst, { config: config({ namedValues: values }) })) }));
    expect(found).toHaveLength(1);
    const [d] = found;
    expect(d?.resourceId).toBe(`${inst.id}/namedValues/payments-backend-key`);
    expect(d?.cause).toBe("Forbidden");
    expect(d?.title).toBe("Named value payments-backend-key on shop-apim cannot refresh from Key Vault (Forbidden)");
    expect(d?.remediation[0]).toContain("the user-assigned identity 3c1e5a7b-9d2f-4a6c-8e0b-1f3d5c7a9e2b");
    expect(d?.remediation[1]).toContain("https://kv-shop.vault.azure.net/secrets/payments-backend-key");
    expect(d?.remediation[2]).toContain("payments-backend-key");
  });

  it("ignores instances whose configuration was not read", () => {
    expect(keyVaultDetector.detect(context({ estate: estate(snapshot(inst)) }))).toEqual([]);
  });
});
