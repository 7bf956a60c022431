import { TableServiceClient } from "@azure/data-tables";
import { isInsecureConnectionString } from "../store/table-client";

/**
 * Removes the tables of earlier demo runs. The Playground starts with an empty conversation each time,
 * so cards recorded against the last one would point at activities it no longer has.
 */
export async function dropDemoTables(connectionString: string, prefix: string): Promise<number> {
  const service = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: isInsecureConnectionString(connectionString) });
  let dropped = 0;
  for await (const table of service.listTables()) {
    if (table.name?.startsWith(prefix)) {
      await service.deleteTable(table.name);
      dropped++;
    }
  }
  return dropped;
}
