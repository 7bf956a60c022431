import { describe, expect, it } from "vitest";
import { fromArmService } from "../../src/collect/map-service-instance";
import { instancesQuery } from "../../src/collect/list-instances";

const SUB = "6b1f3c2e-8d4a-4e57-9a10-2f3e4d5c6b7a";

/** A Resource Graph row for a Premium instance in the middle of an update (lower-case type and region). */
const graphRow = {
  id: `/subscriptions/${SUB}/resourceGroups/rg-payments/providers/Microsoft.ApiManagement/service/apim-payments-prod`,
  name: "apim-payments-prod",
  type: "microsoft.apimanagement/service",
  location: "westeurope",
  resourceGroup: "rg-payments",
  subscriptionId: SUB,
  sku: { name: "Premium", capacity: 2 },
  identity: { type: "SystemAssigned", principalId: "9c7f0f1e-1111-4222-8333-944455566677" },
  zones: ["1", "2"],
  tags: { owner: "payments-platform", costCenter: 4711 },
  properties: {
    provisioningState: "Updating",
    targetProvisioningState: "Succeeded",
    platformVersion: "stv2",
    createdAtUtc: "2024-03-11T08:12:44.1234567Z",
    gatewayUrl: "https://apim-payments-prod.azure-api.net",
    developerPortalUrl: "https://apim-payments-prod.developer.azure-api.net",
    virtualNetworkType: "External",
    publicNetworkAccess: "Enabled",
    customProperties: {
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10": "False",
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30": "false",
    },
    hostnameConfigurations: [
      { type: "Proxy", hostName: "apim-payments-prod.azure-api.net", negotiateClientCertificate: false, defaultSslBinding: false, certificateSource: "BuiltIn" },
      {
        type: "Proxy",
        hostName: "api.payments.example.com",
        keyVaultId: "https://kv-payments.vault.azure.net/secrets/api-tls",
        certificate: { expiry: "2026-12-09T23:59:59+00:00", thumbprint: "7D1C4A0F9E8B2C3D4E5F60718293A4B5C6D7E8F9", subject: "CN=api.payments.example.com" },
        defaultSslBinding: true,
        certificateSource: "KeyVault",
      },
    ],
    additionalLocations: [{ location: "North Europe", sku: { name: "Premium", capacity: 1 }, zones: [] }],
  },
};

describe("fromArmService", () => {
  it("maps a Resource Graph row into a ServiceInstance", () => {
    const i = fromArmService(graphRow);
    expect(i).toBeDefined();
    expect(i).toMatchObject({
      name: "apim-payments-prod",
      subscriptionId: SUB,
      resourceGroup: "rg-payments",
      location: "westeurope",
      sku: { name: "Premium", capacity: 2 },
      provisioningState: "Updating",
      targetProvisioningState: "Succeeded",
      platformVersion: "stv2",
      createdAtUtc: "2024-03-11T08:12:44.123Z",
      virtualNetworkType: "External",
      identityType: "SystemAssigned",
      zones: ["1", "2"],
      tags: { owner: "payments-platform", costCenter: "4711" },
      additionalLocations: [{ location: "North Europe", zones: [], skuCapacity: 1 }],
    });
    expect(i!.customProperties["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10"]).toBe("False");
    expect(i!.hostnameConfigurations[1]).toEqual({
      type: "Proxy",
      hostName: "api.payments.example.com",
      keyVaultId: "https://kv-payments.vault.azure.net/secrets/api-tls",
      certificateSource: "KeyVault",
      defaultSslBinding: true,
      certificate: { expiry: "2026-12-09T23:59:59.000Z", thumbprint: "7D1C4A0F9E8B2C3D4E5F60718293A4B5C6D7E8F9", subject: "CN=api.payments.example.com" },
    });
    expect(i!.hostnameConfigurations[0]!.certificate).toBeUndefined();
  });

  it("derives subscription and resource group from the id when the row lacks them", () => {
    const { subscriptionId: _s, resourceGroup: _r, ...bare } = graphRow;
    const i = fromArmService({ ...bare, properties: { provisioningState: "Succeeded" } });
    expect(i?.subscriptionId).toBe(SUB);
    expect(i?.resourceGroup).toBe("rg-payments");
    expect(i?.identityType).toBe("SystemAssigned");
    expect(i?.hostnameConfigurations).toEqual([]);
  });

  it("refuses rows that are not services and survives odd field types", () => {
    expect(fromArmService(null)).toBeUndefined();
    expect(fromArmService({ name: "no-id" })).toBeUndefined();
    const odd = fromArmService({ id: graphRow.id, name: "x", sku: "Premium", properties: { hostnameConfigurations: "none", createdAtUtc: "yesterday" } });
    expect(odd?.sku).toEqual({ name: "", capacity: 0 });
    expect(odd?.createdAtUtc).toBeUndefined();
    expect(odd?.identityType).toBe("None");
  });
});

describe("instancesQuery", () => {
  it("matches the type case-insensitively and quotes subscription ids", () => {
    const q = instancesQuery([SUB, "00000000-0000-0000-0000-000000000001"]);
    expect(q).toContain("type =~ 'microsoft.apimanagement/service'");
    expect(q).toContain(`subscriptionId in ('${SUB}', '00000000-0000-0000-0000-000000000001')`);
    expect(instancesQuery([])).not.toContain("subscriptionId in");
  });
});
