import { ApiManagementClient } from "@azure/arm-apimanagement";
import { MonitorClient } from "@azure/arm-monitor";
import { ResourceGraphClient } from "@azure/arm-resourcegraph";
import type { TokenCredential } from "@azure/core-auth";
import { ServiceClient, type AdditionalPolicyConfig } from "@azure/core-client";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { MetricsClient } from "@azure/monitor-query-metrics";
import type { Settings } from "../config/settings";
import type { Logger } from "../domain/logger";
import type { ArmPacer } from "./arm-pacer";
import { countingPolicy, pacingPolicy, retryPolicy, type CallCounter, type RetrySettings } from "./collect-policies";

/** What the clients of one collection run share: credential, TLS trust, counters, pacing, retries. */
export interface ClientContext {
  settings: Settings;
  credential: TokenCredential;
  tlsCa?: string;
  counter: CallCounter;
  pacer: ArmPacer;
  retry: RetrySettings;
  log: Logger;
}

/** Error thrown for a non-2xx answer to a hand-built request, shaped like the SDKs' `RestError`. */
export class HttpStatusError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "HttpStatusError";
  }
}

/** Lazily built SDK clients for one collection run, one per subscription or region where needed. */
export class AzureClients {
  private readonly apimClients = new Map<string, ApiManagementClient>();
  private readonly monitorClients = new Map<string, MonitorClient>();
  private readonly metricsClients = new Map<string, MetricsClient>();
  private graphClient?: ResourceGraphClient;
  private logsClient?: LogsQueryClient;
  private genericClient?: ServiceClient;

  constructor(private readonly ctx: ClientContext) {}

  private common() {
    const armOrigin = new URL(this.ctx.settings.armEndpoint).origin;
    const additionalPolicies: AdditionalPolicyConfig[] = [
      { policy: retryPolicy(this.ctx.retry, this.ctx.counter, this.ctx.log), position: "perCall" },
      { policy: pacingPolicy(this.ctx.pacer, armOrigin), position: "perRetry" },
      { policy: countingPolicy(this.ctx.counter), position: "perRetry" },
    ];
    return {
      additionalPolicies,
      // Retries are ours (see retryPolicy), so every API backs off the same way and counts the same.
      retryOptions: { maxRetries: 0 },
      ...(this.ctx.tlsCa ? { tlsOptions: { ca: this.ctx.tlsCa } } : {}),
      userAgentOptions: { userAgentPrefix: "apimbot" },
    };
  }

  /** `@azure/arm-apimanagement` for one subscription. */
  apim(subscriptionId: string): ApiManagementClient {
    let client = this.apimClients.get(subscriptionId);
    if (!client) {
      client = new ApiManagementClient(this.ctx.credential, subscriptionId, { ...this.common(), endpoint: this.ctx.settings.armEndpoint });
      this.apimClients.set(subscriptionId, client);
    }
    return client;
  }

  /** `@azure/arm-monitor` for one subscription (metrics, diagnostic settings, activity log). */
  monitor(subscriptionId: string): MonitorClient {
    let client = this.monitorClients.get(subscriptionId);
    if (!client) {
      client = new MonitorClient(this.ctx.credential, subscriptionId, { ...this.common(), endpoint: this.ctx.settings.armEndpoint });
      this.monitorClients.set(subscriptionId, client);
    }
    return client;
  }

  /** `@azure/arm-resourcegraph`. */
  graph(): ResourceGraphClient {
    this.graphClient ??= new ResourceGraphClient(this.ctx.credential, { ...this.common(), endpoint: this.ctx.settings.armEndpoint });
    return this.graphClient;
  }

  /** The batch metrics client for one region (`{region}` in the endpoint setting is replaced). */
  metrics(region: string): MetricsClient {
    const endpoint = this.ctx.settings.metricsEndpoint.replace("{region}", region);
    let client = this.metricsClients.get(endpoint);
    if (!client) {
      client = new MetricsClient(endpoint, this.ctx.credential, this.common());
      this.metricsClients.set(endpoint, client);
    }
    return client;
  }

  /** `@azure/monitor-query-logs`. */
  logs(): LogsQueryClient {
    this.logsClient ??= new LogsQueryClient(this.ctx.credential, { ...this.common(), endpoint: this.ctx.settings.logsEndpoint });
    return this.logsClient;
  }

  /** GET on an ARM path with no installed SDK (Resource Health, workspaces, raw policies); parses JSON. */
  async armGet(pathAndQuery: string): Promise<unknown> {
    const base = this.ctx.settings.armEndpoint.replace(/\/+$/, "");
    this.genericClient ??= new ServiceClient({
      ...this.common(),
      credential: this.ctx.credential,
      credentialScopes: [`${new URL(base).origin}/.default`],
    });
    const request = createPipelineRequest({ url: `${base}${pathAndQuery}`, method: "GET", headers: createHttpHeaders({ accept: "application/json" }) });
    const response = await this.genericClient.sendRequest(request);
    const text = response.bodyAsText ?? "";
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      if (response.status >= 200 && response.status < 300) {
        throw Object.assign(new Error(`the service answered ${response.status} with a body that is not JSON`), { code: "MalformedResponse" });
      }
    }
    if (response.status < 200 || response.status >= 300) {
      const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const message = typeof err?.message === "string" ? err.message : `the service answered ${response.status}`;
      throw new HttpStatusError(response.status, message, typeof err?.code === "string" ? err.code : undefined);
    }
    return body;
  }
}
