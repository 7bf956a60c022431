import type { createCollector } from "../collect";
import type { Settings } from "../config/settings";
import type { Clock } from "../domain/clock";
import type { Logger } from "../domain/logger";
import type { AlertStore } from "../store/alert-store";
import type { DeliveryStore } from "../store/delivery-store";
import type { InstallationStore } from "../store/installation-store";
import type { ReportStore } from "../store/report-store";
import type { BotEndpoint } from "../teams/endpoint";

/** The adapters the use cases run on, wired once by {@link createApp}. */
export interface AppDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  collector: ReturnType<typeof createCollector>;
  alerts: AlertStore;
  installations: InstallationStore;
  deliveries: DeliveryStore;
  reports: ReportStore;
  /** The Teams endpoint (adapter, delivery), created on first use. */
  endpoint(): Promise<BotEndpoint>;
}
