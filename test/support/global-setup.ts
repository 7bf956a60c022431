import type { TestProject } from "vitest/node";
import { startAzurite, type RunningAzurite } from "../../src/dev/azurite";

let azurite: RunningAzurite | undefined;

/** Starts one in-memory Azurite on free ports for the whole run. */
export async function setup(project: TestProject): Promise<void> {
  azurite = await startAzurite();
  process.env.AzureWebJobsStorage = azurite.connectionString;
  project.provide("storageConnectionString", azurite.connectionString);
}

export async function teardown(): Promise<void> {
  await azurite?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}
