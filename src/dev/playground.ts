import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort, isPortFree } from "./free-port";

/** The Playground's mock team channel, where the demo installs the bot. */
export const PLAYGROUND_CHANNEL_ID = "team-id";

export interface PlaygroundOptions {
  /** The bot endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** Preferred port; a free one is used when it is taken. */
  port?: number;
  /** Working folder for the Playground's own log (it writes `devTools/` there). */
  workDir: string;
}

export interface RunningPlayground {
  url: string;
  port: number;
  /** True when the preferred port was taken. */
  movedPort: boolean;
  /** Activities the Playground holds for the browser until one connects (parsed from its log). */
  buffered(): unknown[];
  /** Sends the installation events for a conversation (`team-id` is the General channel). */
  install(conversationId?: string): Promise<void>;
  stop(): Promise<void>;
}

const PACKAGE_DIR = resolve(__dirname, "../../node_modules/@microsoft/m365agentsplayground");

/**
 * Starts the Microsoft 365 Agents Playground against the bot, bound to loopback, with telemetry off and
 * without trying to open a desktop browser.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const preferred = options.port ?? 56150;
  const movedPort = !(await isPortFree(preferred));
  const port = movedPort ? await freePort() : preferred;
  mkdirSync(options.workDir, { recursive: true });
  // The Playground opens a browser with xdg-open; on a headless machine that crashes it, so a no-op
  // stands in front of the real one.
  const shimDir = join(options.workDir, "bin");
  mkdirSync(shimDir, { recursive: true });
  const shim = join(shimDir, "xdg-open");
  writeFileSync(shim, "#!/bin/sh\nexit 0\n");
  chmodSync(shim, 0o755);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--require", resolve(__dirname, "preload/loopback-only.cjs"),
      join(PACKAGE_DIR, "cli.js"),
      "-e", options.botEndpoint,
      "-c", "msteams",
      "-p", String(port),
      "--disable-telemetry",
    ],
    {
      cwd: options.workDir,
      env: { ...process.env, PATH: `${shimDir}:${process.env.PATH ?? ""}`, BROWSER: "none" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const messages: unknown[] = [];
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    let nl: number;
    while ((nl = output.indexOf("\n")) !== -1) {
      const line = output.slice(0, nl);
      output = output.slice(nl + 1);
      const marker = "buffering message: ";
      const at = line.indexOf(marker);
      if (at !== -1) {
        try {
          messages.push(JSON.parse(line.slice(at + marker.length)));
        } catch {
          // A partial or non-JSON line is only diagnostics.
        }
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Agents Playground exited with code ${child.exitCode} before it answered on ${url}`);
    try {
      const res = await fetch(`${url}/_debug/ping`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Agents Playground did not answer on ${url} within 20 s`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    url,
    port,
    movedPort,
    buffered: () => [...messages],
    async install(conversationId = PLAYGROUND_CHANNEL_ID) {
      const res = await fetch(`${url}/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      if (!res.ok) throw new Error(`Agents Playground refused the installation of conversation ${conversationId}: HTTP ${res.status}`);
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
