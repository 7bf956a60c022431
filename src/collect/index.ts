/**
 * The collect layer: reads an APIM estate through the Azure SDKs and turns it into the project's own
 * snapshot and telemetry types. Every read is retried, paced and isolated: a failure becomes a
 * {@link CollectionFailure} record and the rest of the estate is still read.
 */
import type { TokenCredential } from "@azure/core-auth";
import type { Settings } from "../config/settings";
import type { Clock } from "../domain/clock";
import { silentLogger, type Logger } from "../domain/logger";
import type { CollectionFailure, EstateSnapshot, InstanceSnapshot, LogDestination, ServiceInstance } from "../domain/snapshot";
import type { InstanceTelemetry } from "../domain/telemetry";
import { ArmPacer } from "./arm-pacer";
import { AzureClients } from "./azure-clients";
import { defaultRetrySettings, type CallCounter, type RetrySettings } from "./collect-policies";
import { createCredential } from "./create-credential";
import { listInstances } from "./list-instances";
import { mapLimit } from "./map-limit";
import { readActivity } from "./read-activity";
import { readAuthLogs, workspacePlan } from "./read-auth-logs";
import { readConfig } from "./read-config";
import { readHealth } from "./read-health";
import { readLogDestinations } from "./read-log-destinations";
import { metricWindow, readMetrics } from "./read-metrics";
import { readSubscriptions } from "./read-subscriptions";
import { collapseFailures, toCollectionFailure } from "./to-collection-failure";

export { kqlString } from "./kql-string";
export { redactSecrets } from "./redact-secrets";

/** What a collector needs: settings, the clock, and optionally a logger, a CA to trust and a credential. */
export interface CollectOptions {
  settings: Settings;
  clock: Clock;
  log?: Logger;
  /** PEM of a CA to trust besides the system ones (the local emulator's self-signed certificate). */
  tlsCa?: string;
  /** Overrides the credential the settings would choose. */
  credential?: TokenCredential;
  /** Overrides retry and timeout behaviour (tests shorten the delays). */
  retry?: Partial<RetrySettings>;
}

/** What one collection run reads; the caller decides the cadences. */
export interface CollectPlan {
  readConfig: boolean | ((instance: ServiceInstance) => boolean);
  /** Subscription contracts change over days: read them on a slower cadence. */
  readSubscriptions: (instance: ServiceInstance) => boolean;
  /** Diagnostic settings and workspace GUIDs, cached by the caller. */
  readLogDestinations: (instance: ServiceInstance) => boolean;
  /** instanceId → destinations from an earlier read, used when they are not read this time. */
  knownLogDestinations?: ReadonlyMap<string, LogDestination[]>;
  /** Metrics window, e.g. 120 minutes so detectors have a baseline. */
  telemetryWindowMinutes: number;
  /** Metrics grain in minutes, e.g. 5. */
  intervalMinutes: number;
  readLogs: boolean;
  instanceFilter?: (instance: ServiceInstance) => boolean;
  /** Limits telemetry to one API (diagnose). */
  apiId?: string;
  /**
   * Whether to read Resource Health; one call per instance, so by default only for instances that are
   * not `Succeeded` or whose config is read this time.
   */
  readHealth?: (instance: ServiceInstance) => boolean;
}

/** The estate, its telemetry by instance id, calls made by API (plus `retries`, `throttled`), and wall time. */
export interface CollectResult {
  estate: EstateSnapshot;
  telemetry: Map<string, InstanceTelemetry>;
  stats: Record<string, number>;
  wallMs: number;
}

function isSucceeded(instance: ServiceInstance): boolean {
  return instance.provisioningState.toLowerCase() === "succeeded";
}

/** Builds a collector; ARM pacing state is kept across its runs, clients and counters are per run. */
export function createCollector(opts: CollectOptions): { collect(plan: CollectPlan): Promise<CollectResult> } {
  const log = opts.log ?? silentLogger;
  const credential = opts.credential ?? createCredential(opts.settings);
  const pacer = new ArmPacer();
  const retry: RetrySettings = { ...defaultRetrySettings, ...opts.retry };
  const concurrency = Math.max(1, opts.settings.concurrency);

  async function collect(plan: CollectPlan): Promise<CollectResult> {
    const started = performance.now();
    const now = opts.clock.now();
    const counter: CallCounter = {};
    const clients = new AzureClients({ settings: opts.settings, credential, tlsCa: opts.tlsCa, counter, pacer, retry, log });
    const estateFailures: CollectionFailure[] = [];

    const listing = await listInstances(clients, opts.settings.subscriptionIds, now, log, concurrency);
    estateFailures.push(...listing.failures);
    const instances = plan.instanceFilter ? listing.instances.filter(plan.instanceFilter) : listing.instances;

    const workspaceGuids = new Map<string, Promise<string | undefined>>();
    const snapshots = await mapLimit(instances, concurrency, async (instance): Promise<InstanceSnapshot> => {
      const snap: InstanceSnapshot = { instance, readAt: now.toISOString(), failures: [] };
      const fail = (part: string) => (err: unknown) => {
        snap.failures.push(toCollectionFailure(err, { instanceId: instance.id, instance: instance.name, part, at: now }));
        return undefined;
      };
      const wantConfig = typeof plan.readConfig === "function" ? plan.readConfig(instance) : plan.readConfig;
      if (wantConfig) {
        try {
          const { config, failures } = await readConfig(clients, instance, now);
          snap.config = config;
          snap.failures.push(...failures);
        } catch (err) {
          fail("config")(err);
        }
      }
      if (plan.readSubscriptions(instance)) {
        const usersRead = snap.config && !snap.failures.some((f) => f.part === "users") ? snap.config.users : undefined;
        const subs = await readSubscriptions(clients, instance, usersRead).catch(fail("subscriptions"));
        if (subs) {
          snap.subscriptions = subs;
          snap.subscriptionsReadAt = now.toISOString();
        }
      }
      // The Activity Log says when a running operation started and why a failed one failed.
      if (!isSucceeded(instance) && instance.provisioningState !== "") {
        const activity = await readActivity(clients, instance, now).catch(fail("activity"));
        if (activity) snap.activity = activity;
      }
      const wantHealth = plan.readHealth ? plan.readHealth(instance) : !isSucceeded(instance) || wantConfig;
      if (wantHealth) {
        const health = await readHealth(clients, instance).catch(fail("health"));
        if (health) snap.health = health;
      }
      if (plan.readLogDestinations(instance)) {
        const destinations = await readLogDestinations(clients, instance, workspaceGuids).catch(fail("logDestinations"));
        if (destinations) snap.logDestinations = destinations;
        else if (plan.knownLogDestinations?.has(instance.id)) snap.logDestinations = plan.knownLogDestinations.get(instance.id);
      } else if (plan.knownLogDestinations?.has(instance.id)) {
        snap.logDestinations = plan.knownLogDestinations.get(instance.id);
      }
      return snap;
    });

    const window = metricWindow(now, plan.telemetryWindowMinutes, plan.intervalMinutes);
    const metrics = await readMetrics(clients, instances, window, { now, log, concurrency, ...(plan.apiId ? { apiId: plan.apiId } : {}) });
    const byId = new Map(snapshots.map((s) => [s.instance.id, s]));
    const attach = (failures: CollectionFailure[]) => {
      for (const f of failures) {
        const snap = byId.get(f.instanceId);
        if (snap) snap.failures.push(f);
        else estateFailures.push(f);
      }
    };
    attach(metrics.failures);

    if (plan.readLogs) {
      const destinations = new Map(snapshots.map((s) => [s.instance.id, s.logDestinations]));
      const workspaces = workspacePlan(instances, destinations, opts.settings.logWorkspaceIds);
      attach(await readAuthLogs(clients, workspaces, metrics.telemetry, { now, to: window.to, log, concurrency }));
    }

    for (const snap of snapshots) snap.failures = collapseFailures(snap.failures);
    const estate: EstateSnapshot = { collectedAt: now.toISOString(), instances: snapshots, failures: collapseFailures(estateFailures) };
    const failed = estateFailures.length + snapshots.reduce((n, s) => n + s.failures.length, 0);
    log.info("collected estate", { instances: snapshots.length, failures: failed, source: listing.source });
    return { estate, telemetry: metrics.telemetry, stats: { ...counter }, wallMs: Math.round(performance.now() - started) };
  }

  return { collect };
}
