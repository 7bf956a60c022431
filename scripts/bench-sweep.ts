/**
 * Sweep cost at scale: for generated estates of 10, 100 and 500 instances (one subscription, one
 * region), runs a cold sweep (contracts and diagnostic settings read, as on the hourly cadence) and a
 * steady-state 5-minute sweep against the in-process emulator, and prints calls by API, wall time and
 * peak RSS. Run: `npx tsx scripts/bench-sweep.ts [sizes...]`.
 */
import { sweepPlan } from "../src/app/sweep";
import { createCollector } from "../src/collect/index";
import { loadSettings } from "../src/config/settings";
import { ManualClock } from "../src/domain/clock";
import { generateScenario, startEmulator } from "../src/emulator/index";
import { updateInstanceMemory } from "../src/triage";

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const NOW = new Date("2026-11-27T10:00:30Z");

function total(stats: Record<string, number>): number {
  return Object.entries(stats)
    .filter(([k]) => k !== "retries" && k !== "throttled")
    .reduce((n, [, v]) => n + v, 0);
}

function breakdown(stats: Record<string, number>): string {
  const grouped: Record<string, number> = {};
  for (const [k, v] of Object.entries(stats)) {
    const key = k.startsWith("arm.apim.") ? "arm.apim.*" : k;
    grouped[key] = (grouped[key] ?? 0) + v;
  }
  return Object.entries(grouped)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}

async function bench(instances: number): Promise<void> {
  const emu = await startEmulator({
    scenario: generateScenario({ instances, subscriptions: 1, region: "West Europe", apisPerInstance: 4, contractsPerInstance: 8 }),
    frozenClock: true,
    now: NOW,
  });
  try {
    const settings = loadSettings({ ...emu.env, AzureWebJobsStorage: "UseDevelopmentStorage=true" });
    const collector = createCollector({ settings, clock: new ManualClock(NOW), tlsCa: emu.caCertPem });
    // The sweep's own plan: the first sweep reads everything, the next ones only what is due.
    const cold = await collector.collect(sweepPlan(new Map(), NOW, settings.contractsRefreshMinutes));
    // Steady state: every slow-cadence part read recently (a large estate's first configuration reads
    // spread over several sweeps, CONFIG_READS_PER_SWEEP instances at a time).
    const memory = new Map(updateInstanceMemory(new Map(), cold.estate, NOW).map((m) => [m.instanceId, { ...m, configReadAt: NOW.toISOString() }]));
    const steady = await collector.collect(sweepPlan(memory, NOW, settings.contractsRefreshMinutes));
    const failures = steady.estate.failures.length + steady.estate.instances.reduce((n, i) => n + i.failures.length, 0);
    const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const row = (label: string, r: typeof cold) => `${String(instances).padStart(5)}  ${label.padEnd(7)} ${String(total(r.stats)).padStart(6)} ${String(r.wallMs).padStart(8)}  ${String(rssMb).padStart(7)}  ${breakdown(r.stats)}`;
    console.log(row("cold", cold));
    console.log(row("steady", steady));
    if (failures > 0) console.log(`       (${failures} collection failures in the steady sweep)`);
  } finally {
    await emu.close();
  }
}

async function main(): Promise<void> {
  console.log("instances sweep    calls  wall ms  peak RSS MB (emulator included)  calls by API");
  for (const n of sizes.length > 0 ? sizes : [10, 100, 500]) await bench(n);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
