import { createServer, type IncomingMessage, type Server } from "node:http";
import type { App } from "../app/create-app";
import { describeError } from "../domain/errors";
import type { Logger } from "../domain/logger";
import { startTimers } from "./timers";

/** Largest activity the local host accepts; Teams messages are far smaller. */
const MAX_BODY = 1024 * 1024;

export interface LocalHostOptions {
  host: string;
  port: number;
  log: Logger;
  /** Run the sweep and report timers, as the Functions app would. */
  timers?: {
    sweepSchedule: string;
    reportSchedule: string;
    /** Whether timer sweeps post cards now (default always). */
    post?: () => boolean;
  };
  /** Told of every activity the bot receives, after it was handled (type and conversation id only). */
  onActivity?: (activity: { type: string; conversationId?: string }) => void;
}

export interface RunningLocalHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * The local stand-in for the Functions host: the bot endpoint at `/api/messages` and the same timers,
 * calling the same handlers.
 */
export async function startLocalHost(app: App, options: LocalHostOptions): Promise<RunningLocalHost> {
  const { log } = options;
  const endpoint = await app.endpoint();
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/api/health" && req.method === "GET") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    if (path !== "/api/messages") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "Not found. The bot listens on POST /api/messages." }));
      return;
    }
    if (req.method !== "POST") {
      // The Playground probes the endpoint with HEAD before it sends anything.
      res.writeHead(req.method === "HEAD" ? 200 : 405, { allow: "POST" }).end();
      return;
    }
    try {
      const body = await readBody(req);
      const answer = await endpoint.handle({ headers: req.headers, body, method: "POST" });
      if (options.onActivity) {
        try {
          const parsed = JSON.parse(body) as { type?: unknown; conversation?: { id?: unknown } };
          if (typeof parsed.type === "string") options.onActivity({ type: parsed.type, conversationId: typeof parsed.conversation?.id === "string" ? parsed.conversation.id : undefined });
        } catch {
          // The endpoint already answered a body that is not JSON.
        }
      }
      if (answer.body === undefined) res.writeHead(answer.status).end();
      else res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    } catch (err) {
      log.error("bot request failed", { reason: describeError(err) });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "The bot could not handle this activity." }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      reject(err.code === "EADDRINUSE" ? new Error(`port ${options.port} on ${options.host} is already in use (set APIMBOT_PORT or --port)`) : err);
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;

  const timers = options.timers
    ? startTimers(
        [
          { name: "sweep", schedule: options.timers.sweepSchedule, run: async () => void (await app.sweep({ post: options.timers?.post?.() ?? true })) },
          { name: "hygiene-report", schedule: options.timers.reportSchedule, run: async () => void (await app.report({ post: true, save: true })) },
        ],
        log,
      )
    : undefined;

  return {
    url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}/api/messages`,
    port,
    close: async () => {
      timers?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
