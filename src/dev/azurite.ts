import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { freePort, isPortFree } from "./free-port";

/** The well-known Azurite development account key (public, documented by Microsoft). */
const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteOptions {
  /** Folder for persisted state; omit for in-memory. */
  location?: string;
  /** Prefer the usual ports (10000-10002) and fall back to free ones when they are taken. */
  preferDefaultPorts?: boolean;
}

export interface RunningAzurite {
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** Connection string with explicit endpoints (works whatever the ports). */
  connectionString: string;
  /** True when the usual ports were taken and free ones were used instead. */
  movedPorts: boolean;
  stop(): Promise<void>;
}

/** Connection string for an Azurite listening on the given ports. */
export function azuriteConnectionString(blobPort: number, queuePort: number, tablePort: number): string {
  return [
    "DefaultEndpointsProtocol=http",
    `AccountName=${DEV_ACCOUNT}`,
    `AccountKey=${DEV_KEY}`,
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${DEV_ACCOUNT}`,
    `QueueEndpoint=http://127.0.0.1:${queuePort}/${DEV_ACCOUNT}`,
    `TableEndpoint=http://127.0.0.1:${tablePort}/${DEV_ACCOUNT}`,
  ].join(";");
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePromise, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`Azurite exited with code ${child.exitCode} before listening on port ${port}`));
        return;
      }
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolvePromise();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`Azurite did not listen on port ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

interface Launched {
  child: ChildProcess;
  ports: [number, number, number];
}

/** Spawns Azurite on the given ports and waits until it, and not some other process, listens on them. */
async function launch(ports: [number, number, number], location: string | undefined): Promise<Launched> {
  const [blobPort, queuePort, tablePort] = ports;
  const bin = resolve(__dirname, "../../node_modules/.bin/azurite");
  const args = [
    "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
    "--blobPort", String(blobPort), "--queuePort", String(queuePort), "--tablePort", String(tablePort),
    "--disableTelemetry", "--skipApiVersionCheck", "--silent", "--loose",
  ];
  if (location) {
    mkdirSync(location, { recursive: true });
    args.push("--location", location);
  } else {
    args.push("--inMemoryPersistence");
  }
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    await Promise.all(ports.map((p) => waitForPort(p, child, 15_000)));
    // A port can answer because another process holds it; Azurite then exits with EADDRINUSE.
    await new Promise((r) => setTimeout(r, 250));
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode}`);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}${stderr ? `: ${stderr.trim()}` : ""}`);
  }
  return { child, ports };
}

async function freePorts(): Promise<[number, number, number]> {
  return [await freePort(), await freePort(), await freePort()];
}

/** Starts Azurite (blob, queue, table) on loopback from the project's own node_modules. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  let launched: Launched | undefined;
  let movedPorts = false;
  if (options.preferDefaultPorts) {
    const usual: [number, number, number] = [10000, 10001, 10002];
    const free = await Promise.all(usual.map((p) => isPortFree(p)));
    if (free.every((f) => f)) {
      try {
        launched = await launch(usual, options.location);
      } catch {
        // Taken between the check and the start (another Azurite starting at the same moment).
      }
    }
    movedPorts = launched === undefined;
  }
  launched ??= await launch(await freePorts(), options.location);
  const { child } = launched;
  const [blobPort, queuePort, tablePort] = launched.ports;
  return {
    blobPort,
    queuePort,
    tablePort,
    movedPorts,
    connectionString: azuriteConnectionString(blobPort, queuePort, tablePort),
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once("exit", () => resolveStop());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
