import type { AuthConfiguration } from "@microsoft/agents-hosting";
import { createCollector, type CollectOptions } from "../collect";
import { detectConfig as makeDetectConfig, type DetectConfig } from "../detect/config";
import type { RetryPolicy } from "../notify/delivery";
import { AlertStore } from "../store/alert-store";
import { DeliveryStore } from "../store/delivery-store";
import { InstallationStore } from "../store/installation-store";
import { ReportStore } from "../store/report-store";
import type { BotServices } from "../teams/bot-services";
import { createBotEndpoint, type BotEndpoint } from "../teams/endpoint";
import { DEFAULT_TRIAGE_CONFIG, type TriageConfig } from "../triage";
import type { AppDeps } from "./app-deps";
import { createBotServices } from "./bot-services";
import { diagnose, type Candidates } from "./diagnose";
import { runReport, type ReportOptions, type ReportOutcome } from "./report";
import type { Runtime } from "./runtime";
import { runSweep, type SweepOutcome, type TelemetryWindow } from "./sweep";
import type { Diagnosis } from "../notify/views";

/** Knobs for tests and the local host; production uses the defaults. */
export interface AppOptions {
  /** Prefix for every table, so tests and demos can keep their state apart. Letters and digits only. */
  tablePrefix?: string;
  detectConfig?: DetectConfig;
  triageConfig?: TriageConfig;
  /** The bot identity; default: the Agents SDK's own environment settings. */
  botAuthConfig?: AuthConfiguration;
  connectorRetry?: Partial<RetryPolicy>;
  collectRetry?: CollectOptions["retry"];
  /** Metrics window and grain of each sweep (the demo uses a short one so incidents come and go in minutes). */
  telemetry?: TelemetryWindow;
}

/** apimbot wired together: the use cases, the bot services and the Teams endpoint. */
export interface App {
  deps: AppDeps;
  services: BotServices;
  endpoint(): Promise<BotEndpoint>;
  sweep(options: { post: boolean }): Promise<SweepOutcome>;
  report(options: ReportOptions): Promise<ReportOutcome>;
  diagnose(api: string, instance?: string): Promise<Diagnosis | Candidates>;
}

/** The one composition root: every adapter is created here and nowhere else. */
export async function createApp(runtime: Runtime, options: AppOptions = {}): Promise<App> {
  const { settings, clock, log } = runtime;
  const prefix = options.tablePrefix ?? "apimbot";
  const detectConfig = options.detectConfig ?? makeDetectConfig({ subscriptions: { reminderDays: settings.reminderDays } });
  const triageConfig = options.triageConfig ?? DEFAULT_TRIAGE_CONFIG;
  const [installations, deliveries, reports] = await Promise.all([
    InstallationStore.open(settings.storage, `${prefix}installations`),
    DeliveryStore.open(settings.storage, `${prefix}deliveries`),
    ReportStore.open(settings.storage, { reports: `${prefix}reports`, suppressions: `${prefix}suppressions` }),
  ]);
  const collector = createCollector({ settings, clock, log, tlsCa: runtime.tlsCa, retry: options.collectRetry });
  const alerts = new AlertStore(settings, { tablePrefix: prefix });

  let endpoint: BotEndpoint | undefined;
  const deps: AppDeps = {
    settings,
    clock,
    log,
    collector,
    alerts,
    installations,
    deliveries,
    reports,
    endpoint: async () => {
      endpoint ??= createBotEndpoint(settings, services, { installations, deliveries }, log, { authConfig: options.botAuthConfig, clock, retry: options.connectorRetry });
      return endpoint;
    },
  };
  const services = createBotServices(deps, detectConfig);

  // One sweep at a time per app: a timer and an on-demand sweep must not both post the same new card.
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = (post: boolean): Promise<SweepOutcome> => {
    const run = sweeping.then(() => runSweep(deps, { post, detectConfig, triageConfig, telemetry: options.telemetry }));
    sweeping = run.catch(() => undefined);
    return run;
  };

  return {
    deps,
    services,
    endpoint: deps.endpoint,
    sweep: ({ post }) => sweep(post),
    report: (reportOptions) => runReport(deps, reportOptions),
    diagnose: (api, instance) => diagnose(deps, api, instance, detectConfig),
  };
}
