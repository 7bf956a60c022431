import { describe, expect, it, inject } from "vitest";
import { TableClient } from "@azure/data-tables";

describe("test services", () => {
  it("gives every test a working Azurite table endpoint", async () => {
    const client = TableClient.fromConnectionString(inject("storageConnectionString"), "smoke", { allowInsecureConnection: true });
    await client.createTable();
    await client.upsertEntity({ partitionKey: "p", rowKey: "r", value: 42 });
    const got = await client.getEntity<{ value: number }>("p", "r");
    expect(got.value).toBe(42);
  });
});
