/**
 * A Bot Connector stand-in on loopback: records what the bot posts and updates per conversation, answers
 * with activity ids, and can be told to fail (429 with Retry-After, or 500) for the next calls.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One call the bot made. */
export interface ConnectorCall {
  method: "POST" | "PUT";
  conversationId: string;
  /** The activity id for a PUT, or the replied-to id for a reply POST. */
  activityId?: string;
  /** The id the stand-in answered with (posts) or the id updated (PUTs); absent when it failed the call. */
  answeredId?: string;
  status: number;
  activity: Record<string, unknown>;
  authorization?: string;
}

/** What one activity shows now. */
export interface ShownActivity {
  id: string;
  versions: number;
  activity: Record<string, unknown>;
}

/** The running stand-in. */
export interface ConnectorStandin {
  /** Use as the activities' `serviceUrl`. */
  serviceUrl: string;
  calls: ConnectorCall[];
  /** Answer the next `count` calls with `status` (and `Retry-After: retryAfterSeconds` when given). */
  failNext(count: number, status: number, retryAfterSeconds?: number): void;
  /** The latest version of each activity in a conversation, oldest first. */
  shown(conversationId: string): ShownActivity[];
  /** Successful POSTs to a conversation (new messages, replies included). */
  posts(conversationId?: string): ConnectorCall[];
  /** Successful PUTs to a conversation. */
  updates(conversationId?: string): ConnectorCall[];
  reset(): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Starts a stand-in on 127.0.0.1 and a free port. */
export async function startConnectorStandin(): Promise<ConnectorStandin> {
  const calls: ConnectorCall[] = [];
  const conversations = new Map<string, Map<string, ShownActivity>>();
  let failures: { status: number; retryAfter?: number }[] = [];
  let next = 1;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/.exec(url.pathname);
      const method = req.method === "PUT" ? "PUT" : req.method === "POST" ? "POST" : undefined;
      if (!m || !m[1] || !method) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "NotFound" } }));
        return;
      }
      const conversationId = decodeURIComponent(m[1]);
      const activityId = m[2] ? decodeURIComponent(m[2]) : undefined;
      const activity = await readJson(req);
      const authorization = req.headers.authorization;
      const failure = failures.shift();
      if (failure) {
        calls.push({ method, conversationId, activityId, status: failure.status, activity, authorization });
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (failure.retryAfter !== undefined) headers["retry-after"] = String(failure.retryAfter);
        res.writeHead(failure.status, headers).end(JSON.stringify({ error: { code: failure.status === 429 ? "Throttled" : "ServiceError", message: "stand-in failure" } }));
        return;
      }
      const shown = conversations.get(conversationId) ?? new Map<string, ShownActivity>();
      conversations.set(conversationId, shown);
      if (method === "PUT") {
        const existing = activityId ? shown.get(activityId) : undefined;
        if (!activityId || !existing) {
          calls.push({ method, conversationId, activityId, status: 404, activity, authorization });
          res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "ActivityNotFound" } }));
          return;
        }
        shown.set(activityId, { id: activityId, versions: existing.versions + 1, activity });
        calls.push({ method, conversationId, activityId, answeredId: activityId, status: 200, activity, authorization });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: activityId }));
        return;
      }
      const id = `act-${next++}`;
      shown.set(id, { id, versions: 1, activity });
      calls.push({ method, conversationId, activityId, answeredId: id, status: 201, activity, authorization });
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id }));
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const ok = (c: ConnectorCall) => c.status < 300;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    failNext(count, status, retryAfterSeconds) {
      for (let i = 0; i < count; i++) failures.push({ status, retryAfter: retryAfterSeconds });
    },
    shown(conversationId) {
      return [...(conversations.get(conversationId)?.values() ?? [])];
    },
    posts(conversationId) {
      return calls.filter((c) => c.method === "POST" && ok(c) && (conversationId === undefined || c.conversationId === conversationId));
    },
    updates(conversationId) {
      return calls.filter((c) => c.method === "PUT" && ok(c) && (conversationId === undefined || c.conversationId === conversationId));
    },
    reset() {
      calls.length = 0;
      conversations.clear();
      failures = [];
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
