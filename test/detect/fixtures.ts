/**
 * A small builder of realistic estates for detector tests: instances, contracts, activity, and
 * `Requests` metric cells shaped the way the collect layer produces them.
 */
import { defaultDetectConfig, type DetectConfig } from "../../src/detect/config";
import type { DetectContext } from "../../src/detect/types";
import type { PriorFinding, InstanceMemory, PriorState } from "../../src/domain/prior";
import type { ActivityEvent, EstateSnapshot, InstanceConfig, InstanceSnapshot, ServiceInstance, SubscriptionContract } from "../../src/domain/snapshot";
import type { InstanceTelemetry, RequestCount } from "../../src/domain/telemetry";

export const SUB = "6f2b1c3e-8d4a-4b7e-9c1f-2a3b4c5d6e7f";
export const NOW = new Date("2026-03-10T12:00:00.000Z");

/** `minutes` before {@link NOW} (or `at`), as ISO. */
export function ago(minutes: number, at: Date = NOW): string {
  return new Date(at.getTime() - minutes * 60_000).toISOString();
}

/** `days` after {@link NOW}, as ISO. */
export function inDays(days: number, at: Date = NOW): string {
  return new Date(at.getTime() + days * 86_400_000).toISOString();
}

/** An APIM instance as the collect layer maps it. */
export function instance(name: string, overrides: Partial<ServiceInstance> = {}): ServiceInstance {
  const rg = overrides.resourceGroup ?? `rg-${name}`;
  return {
    id: `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${name}`,
    name,
    subscriptionId: SUB,
    resourceGroup: rg,
    location: "West Europe",
    sku: { name: "Premium", capacity: 2 },
    provisioningState: "Succeeded",
    targetProvisioningState: "",
    platformVersion: "stv2",
    gatewayUrl: `https://${name}.azure-api.net`,
    customProperties: {},
    hostnameConfigurations: [{ type: "Proxy", hostName: `${name}.azure-api.net`, defaultSslBinding: true, certificateSource: "BuiltIn" }],
    identityType: "SystemAssigned",
    zones: [],
    additionalLocations: [],
    tags: {},
    ...overrides,
  };
}

/** Empty child configuration, with the given parts filled in. */
export function config(parts: Partial<InstanceConfig> = {}): InstanceConfig {
  return {
    apis: [],
    operations: [],
    products: [],
    policies: [],
    backends: [],
    namedValues: [],
    diagnostics: [],
    loggers: [],
    portalRevisions: [],
    gateways: [],
    certificates: [],
    versionSets: [],
    networkStatus: [],
    users: [],
    ...parts,
  };
}

/** One instance's snapshot, read OK at {@link NOW}. */
export function snapshot(inst: ServiceInstance, extra: Partial<InstanceSnapshot> = {}): InstanceSnapshot {
  return { instance: inst, readAt: NOW.toISOString(), failures: [], ...extra };
}

/** An estate of the given snapshots. */
export function estate(...instances: InstanceSnapshot[]): EstateSnapshot {
  return { collectedAt: NOW.toISOString(), instances, failures: [] };
}

/** A subscription contract on an instance. */
export function contract(inst: ServiceInstance, name: string, fields: Partial<SubscriptionContract> = {}): SubscriptionContract {
  return {
    id: `${inst.id}/subscriptions/${name}`,
    name,
    displayName: name,
    state: "active",
    scope: `${inst.id}/products/starter`,
    scopeKind: "product",
    scopeName: "starter",
    ownerId: `${inst.id}/users/dana-lee`,
    ownerName: "Dana Lee",
    ownerEmail: "dana.lee@contoso.com",
    createdDate: "2025-03-10T09:00:00Z",
    startDate: "2025-03-10T09:00:00Z",
    ...fields,
  };
}

/** An Activity Log event for the instance's service resource. */
export function activity(status: string, minutesAgo: number, fields: Partial<ActivityEvent> = {}): ActivityEvent {
  return {
    operationName: "Microsoft.ApiManagement/service/write",
    status,
    eventTimestamp: ago(minutesAgo),
    correlationId: "7d9f0c1a-1b2c-4d5e-8f90-a1b2c3d4e5f6",
    caller: "ops-pipeline@contoso.com",
    ...fields,
  };
}

/** A failing cell of the `Requests` metric. */
export interface FailureCell {
  category: "4xx" | "5xx";
  code: string;
  backendCode?: string;
  reason?: string;
}

/** Traffic of one API: `perMinute` requests each minute, of which `failures(minuteAgo)` fail as `cell`. */
export interface ApiTrafficSpec {
  apiId: string;
  perMinute: number;
  cell: FailureCell;
  /** Failing requests in the minute that starts `minuteAgo` minutes before the window end. */
  failures: (minuteAgo: number) => number;
}

/** A rate as a failure count function: `rate` of `perMinute`, rounded. */
export function steady(rate: number, perMinute: number): (minuteAgo: number) => number {
  return () => Math.round(rate * perMinute);
}

/** Failures only in the last `minutes` (e.g. a burst that started 10 minutes ago), `before` otherwise. */
export function lastMinutes(minutes: number, rate: number, perMinute: number, before = 0): (minuteAgo: number) => number {
  return (m) => (m < minutes ? Math.round(rate * perMinute) : Math.round(before * perMinute));
}

/** One hour of 1-minute `Requests` cells ending at `end`. */
export function telemetry(inst: ServiceInstance, specs: ApiTrafficSpec[], opts: { end?: Date; minutes?: number; authLogs?: InstanceTelemetry["authLogs"] } = {}): InstanceTelemetry {
  const end = opts.end ?? NOW;
  const minutes = opts.minutes ?? 60;
  const requests: RequestCount[] = [];
  for (const spec of specs) {
    for (let m = minutes - 1; m >= 0; m--) {
      const time = ago(m + 1, end);
      const failing = Math.min(spec.perMinute, spec.failures(m));
      if (spec.perMinute - failing > 0) {
        requests.push({ time, apiId: spec.apiId, gatewayResponseCodeCategory: "2xx", gatewayResponseCode: "200", backendResponseCode: "200", lastErrorReason: "", count: spec.perMinute - failing });
      }
      if (failing > 0) {
        requests.push({
          time,
          apiId: spec.apiId,
          gatewayResponseCodeCategory: spec.cell.category,
          gatewayResponseCode: spec.cell.code,
          backendResponseCode: spec.cell.backendCode ?? "",
          lastErrorReason: spec.cell.reason ?? "",
          count: failing,
        });
      }
    }
  }
  return { instanceId: inst.id, from: ago(minutes, end), to: end.toISOString(), intervalMinutes: 1, requests, source: "metrics-batch", authLogs: opts.authLogs };
}

/** Prior state from findings and instance memories. */
export function prior(findings: PriorFinding[] = [], instances: InstanceMemory[] = []): PriorState {
  return { findings: new Map(findings.map((f) => [f.id, f])), instances: new Map(instances.map((i) => [i.instanceId, i])) };
}

/** A detector context; defaults to the shipped config, no prior state and {@link NOW}. */
export function context(parts: { estate: EstateSnapshot; telemetry?: InstanceTelemetry[]; prior?: PriorState; now?: Date; config?: DetectConfig }): DetectContext {
  return {
    estate: parts.estate,
    telemetry: new Map((parts.telemetry ?? []).map((t) => [t.instanceId, t])),
    prior: parts.prior ?? prior(),
    now: parts.now ?? NOW,
    config: parts.config ?? defaultDetectConfig,
  };
}
