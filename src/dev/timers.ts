import { Cron } from "croner";
import type { Logger } from "../domain/logger";

/** A timer registered with the local host: same name and NCRONTAB schedule as the Functions trigger. */
export interface TimerSpec {
  name: string;
  /** Six-field NCRONTAB (second minute hour day month day-of-week), as Azure Functions uses. */
  schedule: string;
  run(): Promise<void>;
}

/** Runs timers on their schedules; a run that is still going when the next is due is skipped, not stacked. */
export function startTimers(specs: TimerSpec[], log: Logger): { stop(): void } {
  const jobs = specs.map((spec) => {
    let running = false;
    return new Cron(spec.schedule, { timezone: "UTC", protect: true }, async () => {
      if (running) {
        log.warn(`timer ${spec.name}: previous run still going, skipped`);
        return;
      }
      running = true;
      try {
        await spec.run();
      } catch (err) {
        log.error(`timer ${spec.name} failed`, { error: (err as Error).message });
      } finally {
        running = false;
      }
    });
  });
  return {
    stop() {
      for (const job of jobs) job.stop();
    },
  };
}
