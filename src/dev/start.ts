import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createApp } from "../app/create-app";
import { demoAppOptions } from "./demo-options";
import { createRuntime, type Runtime } from "../app/runtime";
import { ConfigError, describeError } from "../domain/errors";
import { startAzurite, type RunningAzurite } from "./azurite";
import { dropDemoTables } from "./demo-tables";
import { startLocalHost, type RunningLocalHost } from "./local-host";
import { PLAYGROUND_CHANNEL_ID, startPlayground, type RunningPlayground } from "./playground";
import { consoleLogger } from "../cli/console-logger";
import { formatEstate } from "../cli/format";

/** Sweeps every 30 seconds in the demo, so cards arrive, escalate and resolve while someone watches. */
const DEMO_SWEEP_SCHEDULE = "*/30 * * * * *";
/** The demo posts the hygiene report once an hour; `report` in the chat shows it at once. */
const DEMO_REPORT_SCHEDULE = "0 0 * * * *";

const root = resolve(__dirname, "../..");
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * One `npm start` per data folder: two Azurites on the same files would corrupt them, and each run
 * resets the demo tables of the folder.
 */
function claimDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const lock = join(dataDir, "start.pid");
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, "utf8").trim());
    let alive = false;
    try {
      if (Number.isInteger(pid) && pid > 0) {
        process.kill(pid, 0);
        alive = true;
      }
    } catch {
      alive = false;
    }
    if (alive && pid !== process.pid) {
      process.stderr.write(`apimbot start: another npm start (pid ${pid}) is using ${dataDir}; stop it, or set APIMBOT_DATA_DIR to another folder\n`);
      process.exit(2);
    }
  }
  writeFileSync(lock, String(process.pid));
}

/** A port from the environment, or a clear stop naming the setting. */
function portSetting(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`apimbot start: ${name}: "${raw}" is not a port number from 1 to 65535\n`);
    process.exit(2);
  }
  return port;
}

/**
 * `npm start`: Azurite, the emulator with the demo estate, the bot endpoint with its timers, and the
 * Agents Playground, then a first sweep so cards are waiting when the page opens.
 */
async function start(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      for (const stop of stops.reverse()) {
        try {
          await stop();
        } catch {
          // Best effort: keep stopping the rest.
        }
      }
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  const step = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    process.stdout.write(`- ${label} ... `);
    const started = Date.now();
    try {
      const result = await work();
      say(`done (${Date.now() - started} ms)`);
      return result;
    } catch (err) {
      say("failed");
      process.stderr.write(`apimbot start: ${label} failed: ${describeError(err)}\n`);
      return stopAll(err instanceof ConfigError ? 2 : 1);
    }
  };

  const port = portSetting("APIMBOT_PORT", 3978);
  const playgroundPort = portSetting("APIMBOT_PLAYGROUND_PORT", 56150);
  say("Starting apimbot on the embedded demo estate");
  const dataDir = resolve(process.env.APIMBOT_DATA_DIR ?? join(root, ".data"));
  claimDataDir(dataDir);
  stops.push(async () => rmSync(join(dataDir, "start.pid"), { force: true }));
  const azurite: RunningAzurite = await step(`Azurite (state in ${dataDir}/azurite)`, () => startAzurite({ location: join(dataDir, "azurite"), preferDefaultPorts: true }));
  stops.push(() => azurite.stop());
  if (azurite.movedPorts) say(`  the usual Azurite ports were taken; using ${azurite.blobPort}, ${azurite.queuePort}, ${azurite.tablePort}`);

  const env = {
    ...process.env,
    AzureWebJobsStorage: azurite.connectionString,
    APIMBOT_DEV_ANONYMOUS_BOT: "1",
    APIMBOT_HOST: "127.0.0.1",
    APIMBOT_PORT: String(port),
    APIMBOT_SWEEP_SCHEDULE: DEMO_SWEEP_SCHEDULE,
    APIMBOT_REPORT_SCHEDULE: DEMO_REPORT_SCHEDULE,
    // Alerts go to the team channel only: each page load also opens a personal chat with the bot.
    APIMBOT_ROUTES: JSON.stringify([{ conversations: [PLAYGROUND_CHANNEL_ID] }]),
  };
  const log = consoleLogger({ debug: process.env.APIMBOT_DEBUG === "1" });
  const quietLog = { ...log, info: () => {} };

  const runtime: Runtime = await step("APIM estate emulator with scenarios/demo.json", () => createRuntime({ env, log: quietLog, scenario: join(root, "scenarios/demo.json") }));
  stops.push(() => runtime.close());
  say(`  emulator: ${runtime.emulator?.url}`);

  const prefix = `demo${Date.now().toString(36)}`;
  let installed = false;
  let viewerConnected = false;
  await step("fresh demo state", () => dropDemoTables(azurite.connectionString, "demo"));
  const app = await createApp(runtime, demoAppOptions(runtime.settings, prefix));

  const host: RunningLocalHost = await step(`bot endpoint on 127.0.0.1:${port}`, () =>
    startLocalHost(app, {
      host: "127.0.0.1",
      port,
      log: quietLog,
      timers: { sweepSchedule: DEMO_SWEEP_SCHEDULE, reportSchedule: DEMO_REPORT_SCHEDULE, post: () => viewerConnected },
      onActivity: (activity) => {
        // The Playground installs the bot again when a page connects. Cards posted before that are held
        // by the Playground and can be dropped while the page is still loading its channels, so the
        // demo posts once a page is there.
        if (!installed || viewerConnected || activity.type !== "installationUpdate" || activity.conversationId !== PLAYGROUND_CHANNEL_ID) return;
        viewerConnected = true;
        setTimeout(() => {
          app.sweep({ post: true }).then(
            (o) => say(`page connected: ${o.delivery?.posted.length ?? 0} card(s) posted to the General channel`),
            (err: unknown) => process.stderr.write(`apimbot start: sweep failed: ${describeError(err)}\n`),
          );
        }, 1500).unref();
      },
    }),
  );
  stops.push(() => host.close());

  const playground: RunningPlayground = await step("Microsoft 365 Agents Playground", () => startPlayground({ botEndpoint: host.url, workDir: join(dataDir, "playground"), port: playgroundPort }));
  stops.push(() => playground.stop());
  if (playground.movedPort) say(`  port ${playgroundPort} was taken; the Playground uses ${playground.port}`);

  await step("install apimbot in the Playground's General channel", async () => {
    await playground.install(PLAYGROUND_CHANNEL_ID);
    const deadline = Date.now() + 10_000;
    while ((await app.deps.installations.list()).length === 0) {
      if (Date.now() > deadline) throw new Error("the bot did not record the installation within 10 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    installed = true;
  });
  const outcome = await step("first sweep", () => app.sweep({ post: false }));
  const open = outcome.findings.filter((f) => f.status !== "resolved");
  say("");
  process.stdout.write(formatEstate(outcome.summary));
  say(`${open.length} open findings on ${outcome.instanceCount} instances; their cards are posted to the General channel as soon as a page opens the Playground.`);

  const spike = open.find((f) => f.kind === "gateway-5xx-spike")?.api ?? "orders-api";
  say("");
  say(`Playground: ${playground.url}`);
  say("Try in the chat (in the General channel, mention the bot first: @Test Bot; in Personal Chat, just type):");
  say(`  diagnose ${spike}`);
  say("  status");
  say("  report");
  say("Sweeps run every 30 seconds: a 5xx spike on inventory-api arrives in about 2 minutes, escalates, and resolves in place after about 12.");
  say("Ctrl-C stops everything.");
  say("ready");
}

start().catch((err) => {
  process.stderr.write(`apimbot start: ${describeError(err)}\n`);
  process.exit(1);
});
