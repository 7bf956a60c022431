import { loadSettings, type Settings } from "../config/settings";
import type { Clock } from "../domain/clock";
import type { Logger } from "../domain/logger";
import { startEmulator, type RunningEmulator } from "../emulator";

/** What every use case runs with: parsed settings, the clock, a logger, and TLS trust for an emulator. */
export interface Runtime {
  settings: Settings;
  clock: Clock;
  log: Logger;
  /** PEM the Azure clients must trust (the in-process emulator's certificate). */
  tlsCa?: string;
  /** The in-process emulator behind `--scenario`, when there is one. */
  emulator?: RunningEmulator;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  env?: Record<string, string | undefined>;
  log: Logger;
  /** Serve this scenario from an in-process emulator and point the Azure clients at it. */
  scenario?: string;
  /** Start the emulator's clock here (tests); default is the real time, moving. */
  now?: Date;
  frozenClock?: boolean;
}

const systemClock: Clock = { now: () => new Date() };

/**
 * Loads settings once and, with a scenario, starts the emulator in-process. The product then reads time
 * from the emulator's clock, so moving the emulator through an incident moves the product with it.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const env = { ...(options.env ?? process.env) };
  if (!options.scenario) {
    const settings = loadSettings(env);
    return { settings, clock: systemClock, log: options.log, close: async () => {} };
  }
  const emulator = await startEmulator({ scenario: options.scenario, port: 0, now: options.now, frozenClock: options.frozenClock });
  try {
    for (const [name, value] of Object.entries(emulator.env)) {
      // NODE_EXTRA_CA_CERTS is read only at process start; in-process clients get the PEM instead.
      if (name !== "NODE_EXTRA_CA_CERTS") env[name] = value;
    }
    const settings = loadSettings(env);
    return {
      settings,
      clock: emulator.clock,
      log: options.log,
      tlsCa: emulator.caCertPem,
      emulator,
      close: () => emulator.close(),
    };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}
