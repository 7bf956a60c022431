import { ApiManagementClient } from "@azure/arm-apimanagement";
import { MonitorClient } from "@azure/arm-monitor";
import { ResourceGraphClient } from "@azure/arm-resourcegraph";
import type { TokenCredential } from "@azure/core-auth";
import { createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { RunningEmulator } from "../../src/emulator";

/** A credential that hands out the emulator's fixed token, as APIMBOT_STATIC_BEARER_TOKEN does. */
export function staticCredential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/** Client options pointing the unmodified SDKs at the emulator; retries kept short so tests stay quick. */
export function clientOptions(emu: RunningEmulator, maxRetries = 3) {
  return { endpoint: emu.url, tlsOptions: { ca: emu.caCertPem }, retryOptions: { maxRetries, retryDelayInMs: 20, maxRetryDelayInMs: 200 } };
}

export function apim(emu: RunningEmulator, subscriptionId: string, maxRetries = 3): ApiManagementClient {
  return new ApiManagementClient(staticCredential(emu.token), subscriptionId, clientOptions(emu, maxRetries));
}

export function monitor(emu: RunningEmulator, subscriptionId: string): MonitorClient {
  return new MonitorClient(staticCredential(emu.token), subscriptionId, clientOptions(emu));
}

export function graph(emu: RunningEmulator): ResourceGraphClient {
  return new ResourceGraphClient(staticCredential(emu.token), clientOptions(emu));
}

/** A GET through an SDK client's own pipeline (auth, retries, TLS), for APIs without a typed client. */
export async function rawGet(client: ApiManagementClient, url: string): Promise<{ status: number; json: unknown; response: PipelineResponse }> {
  const response = await client.sendRequest(createPipelineRequest({ url, method: "GET" }));
  return { status: response.status, json: response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined, response };
}

/** Collects an SDK pager into an array. */
export async function all<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iter) out.push(item);
  return out;
}

export const PROD_SUB = "3b9e2f71-8c4d-4a6e-9f12-5d7c0e8a1b23";
export const NONPROD_SUB = "c41d7e09-2a5f-4b38-8e61-9f0a3d2c7b54";
export const PREMIUM = { rg: "rg-apim-prod", name: "apim-contoso-prod-weu" };
export const PARTNERS = { rg: "rg-apim-partners", name: "apim-contoso-partners" };
export const DEV = { rg: "rg-apim-dev", name: "apim-contoso-dev" };
