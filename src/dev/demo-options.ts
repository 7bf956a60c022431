import type { AppOptions } from "../app/create-app";
import type { Settings } from "../config/settings";
import { detectConfig } from "../detect/config";

/**
 * How `npm start` runs the app: traffic judged over the last 5 minutes at a 1-minute grain, so the live
 * incident in the demo estate arrives, escalates and resolves while someone watches. Production keeps
 * the 15-minute window of the defaults.
 */
export function demoAppOptions(settings: Settings, tablePrefix: string): AppOptions {
  return {
    tablePrefix,
    detectConfig: detectConfig({ spike5xx: { recentMinutes: 5 }, authBurst: { recentMinutes: 5 }, subscriptions: { reminderDays: settings.reminderDays } }),
    telemetry: { windowMinutes: 60, intervalMinutes: 1 },
  };
}
