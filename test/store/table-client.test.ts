import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { assertTableName, isInsecureConnectionString, openTable } from "../../src/store/table-client";

describe("table clients", () => {
  it("allow plain http only for Azurite-style connection strings", () => {
    expect(isInsecureConnectionString("UseDevelopmentStorage=true")).toBe(true);
    expect(isInsecureConnectionString("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=x;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1")).toBe(true);
    expect(isInsecureConnectionString("AccountName=a;AccountKey=x;TableEndpoint=http://10.0.0.5:10002/a")).toBe(true);
    expect(isInsecureConnectionString("DefaultEndpointsProtocol=https;AccountName=apimbotstate;AccountKey=x;EndpointSuffix=core.windows.net")).toBe(false);
  });

  it("refuse table names the service would refuse, naming the problem", () => {
    expect(() => assertTableName("apimbotfindings")).not.toThrow();
    expect(() => assertTableName("t-1findings")).toThrow(/letters and digits/);
    expect(() => assertTableName("1findings")).toThrow(/starting with a letter/);
  });

  it("create a table once and open it again without complaint", async () => {
    const storage = { connectionString: inject("storageConnectionString") };
    const name = `t${randomBytes(4).toString("hex")}probe`;
    const first = await openTable(storage, name);
    await first.upsertEntity({ partitionKey: "p", rowKey: "r", value: 7 });
    const second = await openTable(storage, name);
    expect((await second.getEntity<{ value: number }>("p", "r")).value).toBe(7);
  });
});
