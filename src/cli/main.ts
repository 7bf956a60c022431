import { writeFileSync } from "node:fs";
import { createApp } from "../app/create-app";
import { suppress } from "../app/suppressions";
import { createRuntime, type Runtime } from "../app/runtime";
import { loadSettings } from "../config/settings";
import { ConfigError, describeError } from "../domain/errors";
import type { Logger } from "../domain/logger";
import { emulatorCommand } from "../emulator/emulator-command";
import { ScenarioError } from "../emulator/scenario-error";
import { startLocalHost } from "../dev/local-host";
import { consoleLogger } from "./console-logger";
import { countLine, formatDiagnosis, formatEstate, formatFindings, formatStats } from "./format";
import { parseArgs, portFlag, type FlagSpec } from "./parse-args";

interface CommandSpec {
  usage: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  run(positionals: string[], flags: Record<string, string | boolean>, log: Logger): Promise<number>;
}

const scenarioFlag: FlagSpec = { type: "string", help: "serve this scenario from an in-process emulator and read it" };

async function withRuntime<T>(scenario: string | boolean | undefined, log: Logger, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await createRuntime({ log, scenario: typeof scenario === "string" ? scenario : undefined });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

const COMMANDS: Record<string, CommandSpec> = {
  sweep: {
    usage: "apimbot sweep [--json] [--no-post] [--stats] [--scenario <file>]",
    summary: "Run one sweep and print the findings.",
    flags: {
      json: { type: "boolean", help: "print a JSON array of findings on stdout and nothing else" },
      "no-post": { type: "boolean", help: "do not post cards to Teams" },
      stats: { type: "boolean", help: "print Azure calls by API and the wall time on stderr" },
      scenario: scenarioFlag,
    },
    run: (_p, flags, log) =>
      withRuntime(flags.scenario, log, async (runtime) => {
        const app = await createApp(runtime);
        const outcome = await app.sweep({ post: flags["no-post"] !== true });
        if (flags.json) process.stdout.write(`${JSON.stringify(outcome.findings, null, 2)}\n`);
        else {
          process.stdout.write(`Swept ${outcome.instanceCount} instance(s) in ${(outcome.wallMs / 1000).toFixed(1)} s: ${countLine(outcome.findings)}.\n\n`);
          process.stdout.write(`${formatEstate(outcome.summary)}\n`);
          process.stdout.write(formatFindings(outcome.findings));
        }
        if (outcome.delivery) {
          const d = outcome.delivery;
          log.info(`Teams: ${d.posted.length} card(s) posted, ${d.updated.length} updated, ${d.pending.length} pending${d.pending.length ? " (retried next sweep)" : ""}.`);
        }
        if (flags.stats) process.stderr.write(formatStats(outcome.stats, outcome.wallMs, outcome.instances));
        return outcome.nothingRead ? 1 : 0;
      }),
  },
  report: {
    usage: "apimbot report [--json] [--html <file>] [--no-post] [--scenario <file>]",
    summary: "Build the hygiene report.",
    flags: {
      json: { type: "boolean", help: "print a JSON array of hygiene findings on stdout and nothing else" },
      html: { type: "string", help: "write the self-contained HTML report to this file" },
      "no-post": { type: "boolean", help: "do not post the summary card to Teams" },
      scenario: scenarioFlag,
    },
    run: (_p, flags, log) =>
      withRuntime(flags.scenario, log, async (runtime) => {
        const app = await createApp(runtime);
        const post = flags["no-post"] !== true;
        const outcome = await app.report({ post, save: post });
        if (typeof flags.html === "string") {
          writeFileSync(flags.html, outcome.html);
          log.info(`HTML report written to ${flags.html}`);
        }
        if (flags.json) process.stdout.write(`${JSON.stringify(outcome.detections, null, 2)}\n`);
        else {
          const t = outcome.model.totals;
          process.stdout.write(`Hygiene report: ${t.total} findings (${t.critical} critical, ${t.warning} warning, ${t.info} info) on ${outcome.model.instances} instance(s).\n`);
          if (outcome.model.change.previousAt) {
            process.stdout.write(`Since ${outcome.model.change.previousAt}: ${outcome.model.change.newIds.length} new, ${outcome.model.change.fixed.length} fixed, ${outcome.model.change.stillOpenIds.length} still open.\n`);
          }
          process.stdout.write("\nFix first:\n");
          outcome.model.topFive.forEach((r, i) =>
            process.stdout.write(`  ${i + 1}. [${r.severity}] ${r.title} (${r.rule}): ${r.count} resource(s), e.g. ${r.examples.slice(0, 2).join(", ")}\n     ${r.firstStep}\n`),
          );
          if (outcome.posted.length > 0) log.info(`Summary card posted to ${outcome.posted.length} conversation(s).`);
          if (outcome.failed.length > 0) log.warn(`Summary card not delivered to ${outcome.failed.length} conversation(s): ${outcome.failed.map((f) => f.reason).join("; ")}`);
        }
        return outcome.nothingRead ? 1 : 0;
      }),
  },
  diagnose: {
    usage: "apimbot diagnose <api> [--instance <name>] [--json] [--scenario <file>]",
    summary: "Diagnose one API: the layer at fault, the evidence and the fix. Never posts.",
    flags: {
      instance: { type: "string", help: "the APIM instance, when the API name is in several" },
      json: { type: "boolean", help: "print one JSON object: api, instance, layer, findings, evidence" },
      scenario: scenarioFlag,
    },
    run: (positionals, flags, log) => {
      const api = positionals[0];
      if (!api || positionals.length > 1) throw new ConfigError(`apimbot diagnose: expected one API name, got ${positionals.length === 0 ? "none" : positionals.join(" ")}`);
      if (!/^[A-Za-z0-9][A-Za-z0-9._;=-]{0,255}$/.test(api)) throw new ConfigError(`apimbot diagnose: "${api}" is not an API name (letters, digits, . _ - ; =)`);
      return withRuntime(flags.scenario, log, async (runtime) => {
        const app = await createApp(runtime);
        const result = await app.diagnose(api, typeof flags.instance === "string" ? flags.instance : undefined);
        if ("candidates" in result) {
          const hint = result.candidates.length > 0 ? ` Did you mean: ${result.candidates.join(", ")}?` : "";
          process.stderr.write(`apimbot diagnose: no single API named "${api}"${flags.instance ? ` in ${String(flags.instance)}` : ""}.${hint}\n`);
          return 1;
        }
        if (flags.json) process.stdout.write(`${JSON.stringify({ api: result.api, instance: result.instance, layer: result.layer, findings: result.findings, evidence: result.evidence, verdict: result.verdict }, null, 2)}\n`);
        else process.stdout.write(formatDiagnosis(result));
        return 0;
      });
    },
  },
  emulator: {
    usage: "apimbot emulator --scenario <file> [--port <n>]",
    summary: "Run the APIM estate emulator alone; prints export lines, then ready.",
    flags: { scenario: scenarioFlag, port: { type: "string", help: "port to listen on (0 picks a free one)" } },
    run: async (_p, flags) => {
      if (typeof flags.scenario !== "string") throw new ConfigError("apimbot emulator: --scenario <file> is required");
      const emulator = await emulatorCommand({ scenario: flags.scenario, port: portFlag("emulator", "port", flags.port) ?? 0 }, process.stdout);
      await waitForSignal();
      await emulator.close();
      return 0;
    },
  },
  serve: {
    usage: "apimbot serve [--port <n>]",
    summary: "Serve the bot endpoint and run the timers, as the Functions app would.",
    flags: { port: { type: "string", help: "port to listen on (wins over APIMBOT_PORT)" }, scenario: scenarioFlag },
    run: (_p, flags, log) =>
      withRuntime(flags.scenario, log, async (runtime) => {
        const app = await createApp(runtime);
        const port = portFlag("serve", "port", flags.port) ?? runtime.settings.port;
        const host = await startLocalHost(app, {
          host: runtime.settings.host,
          port,
          log,
          timers: { sweepSchedule: runtime.settings.sweepSchedule, reportSchedule: runtime.settings.reportSchedule },
        });
        process.stdout.write(`listening on ${host.url}\n`);
        await waitForSignal();
        await host.close();
        return 0;
      }),
  },
  suppress: {
    usage: "apimbot suppress <rule> <resource-id> --reason <text> --for <duration> [--remove]",
    summary: "Hide one hygiene rule on one resource from the weekly report until it expires (listed all the same).",
    flags: {
      reason: { type: "string", help: "why, for the next reader (required)" },
      for: { type: "string", help: "how long, e.g. 30d, 12h (at most 365d)" },
      by: { type: "string", help: "who decided (default: the USER environment variable)" },
      remove: { type: "boolean", help: "remove the suppression instead" },
    },
    run: async (positionals, flags, log) => {
      const [rule, resourceId] = positionals;
      if (!rule || !resourceId || positionals.length !== 2) throw new ConfigError("apimbot suppress: expected <rule> <resource-id>, e.g. APIM.Api.NoDescription /subscriptions/.../service/apim-1/apis/echo-api");
      return withRuntime(undefined, log, async (runtime) => {
        const app = await createApp(runtime);
        if (flags.remove) {
          const removed = await app.deps.reports.removeSuppression(rule, resourceId);
          process.stdout.write(removed ? `Removed the suppression of ${rule} on ${resourceId}.\n` : `There was no suppression of ${rule} on ${resourceId}.\n`);
          return 0;
        }
        if (typeof flags.reason !== "string") throw new ConfigError("apimbot suppress: --reason <text> is required");
        if (typeof flags.for !== "string") throw new ConfigError("apimbot suppress: --for <duration> is required, e.g. --for 30d");
        const s = await suppress(app.deps, { rule, resourceId, reason: flags.reason, duration: flags.for, by: typeof flags.by === "string" ? flags.by : process.env.USER ?? "cli" });
        process.stdout.write(`Suppressed ${s.rule} on ${s.resourceId} until ${s.expiresAt}: ${s.reason}\n`);
        return 0;
      });
    },
  },
  suppressions: {
    usage: "apimbot suppressions [--json]",
    summary: "List hygiene suppressions, expired ones included.",
    flags: { json: { type: "boolean", help: "print a JSON array" } },
    run: (_p, flags, log) =>
      withRuntime(undefined, log, async (runtime) => {
        const app = await createApp(runtime);
        const list = await app.deps.reports.listSuppressions();
        if (flags.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else if (list.length === 0) process.stdout.write("No suppressions.\n");
        else {
          const now = runtime.clock.now().toISOString();
          for (const s of list) process.stdout.write(`${s.expiresAt <= now ? "EXPIRED " : ""}${s.rule} on ${s.resourceId} until ${s.expiresAt} (${s.createdBy ?? "?"}): ${s.reason}\n`);
        }
        return 0;
      }),
  },
  "check-config": {
    usage: "apimbot check-config",
    summary: "Validate the settings and print them (secrets hidden).",
    flags: {},
    run: async () => {
      const settings = loadSettings();
      const shown = { ...settings, staticBearerToken: settings.staticBearerToken ? "(set)" : undefined, storage: "connectionString" in settings.storage ? "(connection string set)" : settings.storage };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\nSettings are valid.\n`);
      return 0;
    },
  },
};

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}

function usage(): string {
  const lines = ["Usage: apimbot <command> [flags]", ""];
  for (const spec of Object.values(COMMANDS)) {
    lines.push(`  ${spec.usage}`, `      ${spec.summary}`);
    for (const [name, flag] of Object.entries(spec.flags)) lines.push(`      --${name}${flag.type === "string" ? " <value>" : ""}: ${flag.help}`);
  }
  lines.push("", "Settings are read from the environment; see docs/settings.md.");
  return lines.join("\n") + "\n";
}

/** Runs one CLI invocation and returns the exit status (CONTRACT.md: 0 done, 2 usage or configuration, 1 otherwise). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const spec = COMMANDS[name];
  if (!spec) {
    process.stderr.write(`apimbot: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const log = consoleLogger({ debug: process.env.APIMBOT_DEBUG === "1" });
  try {
    const { positionals, flags } = parseArgs(name, rest, spec.flags);
    if (name !== "diagnose" && name !== "suppress" && positionals.length > 0) throw new ConfigError(`apimbot ${name}: unexpected argument "${positionals[0]}"`);
    return await spec.run(positionals, flags, log);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ScenarioError) {
      process.stderr.write(`apimbot ${name}: ${err.message.replace(/^apimbot \S+: /, "")}\n`);
      return 2;
    }
    process.stderr.write(`apimbot ${name}: ${describeError(err)}\n`);
    return 1;
  }
}
