import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { inject } from "vitest";
import { createRuntime, type Runtime } from "../../src/app/runtime";
import { memoryLogger, type Logger } from "../../src/domain/logger";

/** The demo estate every product-level test reads. */
export const DEMO_SCENARIO = join(__dirname, "../../scenarios/demo.json");

/** Where the emulator's frozen clock starts, so the planted windows are the same in every run. */
export const DEMO_START = new Date("2026-11-23T10:00:00Z");

/** A runtime on the demo estate with a frozen clock, Azurite for state and the given extra settings. */
export function demoRuntime(env: Record<string, string> = {}, log: Logger = memoryLogger()): Promise<Runtime> {
  return createRuntime({
    env: { AzureWebJobsStorage: inject("storageConnectionString"), ...env },
    log,
    scenario: DEMO_SCENARIO,
    now: DEMO_START,
    frozenClock: true,
  });
}

/** A fresh table prefix, so each test file keeps its state apart on the shared Azurite. */
export function freshTablePrefix(): string {
  return `t${randomBytes(4).toString("hex")}`;
}
