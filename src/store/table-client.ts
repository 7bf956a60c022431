/**
 * Table Storage clients from the storage settings: a connection string (Azurite included) or the
 * identity-based form that Azure Functions uses (`AzureWebJobsStorage__accountName`).
 */
import { TableClient } from "@azure/data-tables";
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import type { Settings } from "../config/settings";
import { ConfigError } from "../domain/errors";

/** Where state lives, as settings give it. */
export type StorageSettings = Settings["storage"];

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

/** Throws a {@link ConfigError} unless `name` is a valid table name: 3–63 letters and digits, a letter first. */
export function assertTableName(name: string): void {
  if (!TABLE_NAME.test(name)) {
    throw new ConfigError(`table name "${name}" is not valid: use 3 to 63 letters and digits, starting with a letter (check the table prefix)`);
  }
}

/** True when the connection string points at plain http, which the SDK refuses unless told otherwise. */
export function isInsecureConnectionString(connectionString: string): boolean {
  return /(^|;)\s*(UseDevelopmentStorage\s*=\s*true|DefaultEndpointsProtocol\s*=\s*http\s*(;|$)|TableEndpoint\s*=\s*http:)/i.test(connectionString);
}

type TokenCredential = DefaultAzureCredential | ManagedIdentityCredential;

// One credential per settings object, so every table shares its token cache.
const credentials = new WeakMap<object, TokenCredential>();

function credentialFor(storage: { accountName: string; credential?: string; clientId?: string }): TokenCredential {
  let credential = credentials.get(storage);
  if (!credential) {
    if (storage.clientId) credential = new ManagedIdentityCredential({ clientId: storage.clientId });
    else if (storage.credential?.toLowerCase() === "managedidentity") credential = new ManagedIdentityCredential();
    else credential = new DefaultAzureCredential();
    credentials.set(storage, credential);
  }
  return credential;
}

/** A client for one table. It does not create the table: see {@link openTable}. */
export function tableClient(storage: StorageSettings, tableName: string): TableClient {
  assertTableName(tableName);
  if ("connectionString" in storage) {
    return TableClient.fromConnectionString(storage.connectionString, tableName, { allowInsecureConnection: isInsecureConnectionString(storage.connectionString) });
  }
  return new TableClient(`https://${storage.accountName}.table.core.windows.net`, tableName, credentialFor(storage));
}

/** A client for one table, creating the table first if it does not exist. Safe to call concurrently. */
export async function openTable(storage: StorageSettings, tableName: string): Promise<TableClient> {
  const client = tableClient(storage, tableName);
  try {
    // The SDK already treats "TableAlreadyExists" as success; a 409 from a concurrent delete-in-progress is not.
    await client.createTable();
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== 409) throw err;
  }
  return client;
}
