/** The emulator's HTTPS server: auth, request normalisation, fault injection, call log, routing. */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { armError, type RouteContext, type RouteResult } from "./arm-http";
import { buildEstate } from "./arm-estate";
import { handleArm } from "./arm-routes";
import { handleControl } from "./control-routes";
import { EmulatorClock } from "./emulator-clock";
import { FaultTable, type FaultEffect, type FaultSpec } from "./faults";
import { handleResourceGraph } from "./resource-graph";
import { loadScenario, type Scenario } from "./scenario";
import { handleTelemetry, type EmuRequest, type EmuResponse } from "./telemetry-routes";
import { makeTlsCertificate } from "./tls-certificate";

/** How to start an emulator. */
export interface EmulatorOptions {
  /** A scenario file path, parsed scenario JSON, or a scenario from `loadScenario`. */
  scenario: string | object;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The bearer token clients must send; a random one by default. */
  token?: string;
  /** The emulator's time at start (default: real now). Relative scenario times resolve against it. */
  now?: Date;
  /** Keep the clock still unless set or advanced (default: it follows real time). */
  frozenClock?: boolean;
  /** Default page size of child collections (default 10); the scenario's `paging` wins per collection. */
  pageSize?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  token: string;
  /** PEM of the self-signed certificate, for `tlsOptions: { ca }`. */
  caCertPem: string;
  /** The same PEM in a temporary file, for `NODE_EXTRA_CA_CERTS`. */
  caCertPath: string;
  /** The settings that point apimbot at this emulator. */
  env: Record<string, string>;
  clock: { now(): Date; set(d: Date): void; advance(ms: number): void };
  /** Calls by route kind (`arm.service.list`, `resourcegraph`, `metrics.batch`, ...), plus `total` and `faults.injected`. */
  stats(): Record<string, number>;
  resetStats(): void;
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

/** Starts an emulator serving a scenario over HTTPS on loopback. */
export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const scenario: Scenario = loadScenario(opts.scenario);
  const clock = new EmulatorClock(opts.now ?? new Date(), opts.frozenClock ?? false);
  const estate = buildEstate(scenario, clock.now());
  const telemetryEstate = estate.instances.map((i) => i.telemetry);
  const token = opts.token ?? `emu-${randomBytes(24).toString("base64url")}`;
  const host = opts.host ?? "127.0.0.1";
  const faults = new FaultTable();
  scenario.faults.forEach((f) => faults.add(f));
  let counts: Record<string, number> = {};
  const count = (kind: string): void => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  const defaultPage = opts.pageSize ?? 10;
  const pageSize = (key: string): number => {
    if (key === "resourceGraph") return scenario.paging.resourceGraph ?? 1000;
    if (key === "activityLog") return scenario.paging.activityLog ?? 200;
    return scenario.paging[key as keyof Scenario["paging"]] ?? scenario.paging.default ?? defaultPage;
  };

  // Real time, not the emulator clock: TLS clients check validity against the machine clock.
  const tls = await makeTlsCertificate(new Date());
  const certDir = mkdtempSync(join(tmpdir(), "apimbot-emulator-"));
  const caCertPath = join(certDir, "emulator-ca.pem");
  writeFileSync(caCertPath, tls.cert);

  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = "";

  const control = {
    clock: { now: () => clock.now(), set: (d: Date) => clock.set(d), advance: (ms: number) => clock.advance(ms) },
    stats: () => ({ ...counts }),
    resetStats: () => {
      counts = {};
    },
    injectFault: (f: FaultSpec) => faults.add(f),
    clearFaults: () => faults.clear(),
  };

  const dispatch = (req: EmuRequest): RouteResult => {
    const ctx: RouteContext = { baseUrl, pageSize, now: clock.now() };
    const arm = handleResourceGraph(req, estate, ctx) ?? handleArm(req, estate, ctx);
    if (arm) return arm;
    const telemetry = handleTelemetry(req, telemetryEstate, ctx.now);
    if (telemetry) return { kind: telemetryKind(req.path), response: telemetry };
    return { kind: "notFound", response: armError(404, "NotFound", `The emulator serves no route for ${req.method} ${req.path}.`) };
  };

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, req.method ?? "GET", armError(500, "InternalServerError", `The emulator failed: ${(e as Error).message}`));
      else res.destroy();
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const raw = await readBody(req);
    const parsed = parseTarget(req.url ?? "/");
    if (!parsed) {
      count("badRequest");
      send(res, method, armError(400, "InvalidUri", "The request URI is not valid."));
      return;
    }
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${token}`) {
      count("unauthorized");
      const missing = auth === "";
      send(
        res,
        method,
        armError(401, missing ? "AuthenticationFailed" : "InvalidAuthenticationToken", missing ? "Authentication failed. The 'Authorization' header is missing." : "The access token is invalid.", {
          "www-authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing or invalid credentials."',
        }),
      );
      return;
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        count("badRequest");
        send(res, method, armError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized."));
        return;
      }
    }
    const emuReq: EmuRequest = { method, path: parsed.path, query: parsed.query, body };
    const controlResult = handleControl(emuReq, control);
    if (controlResult) {
      send(res, method, controlResult.response);
      return;
    }
    // Control calls stay out of the call log: it counts what a client asked of "Azure".
    const result = dispatch(emuReq);
    count("total");
    count(result.kind);
    const effect = faults.take(method, parsed.path);
    if (effect) {
      count("faults.injected");
      await applyFault(effect, req, res, method, result.response);
      return;
    }
    send(res, method, result.response);
  }

  async function applyFault(effect: FaultEffect, req: IncomingMessage, res: ServerResponse, method: string, normal: EmuResponse): Promise<void> {
    if (effect.latencyMs > 0) await sleep(effect.latencyMs, timers);
    if (effect.timeout === "reset") {
      req.socket.destroy();
      return;
    }
    if (effect.timeout === "hang") {
      const t = setTimeout(() => {
        timers.delete(t);
        req.socket.destroy();
      }, effect.holdMs);
      timers.add(t);
      return;
    }
    if (effect.status === 429) {
      send(res, method, armError(429, "TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Read.", { "retry-after": String(effect.retryAfterSeconds ?? 1) }));
      return;
    }
    if (effect.status === 500) {
      send(res, method, armError(500, "InternalServerError", "Encountered internal server error. Diagnostic information: timestamp and correlation id of this request."));
      return;
    }
    if (effect.status === 503) {
      const extra: Record<string, string> = effect.retryAfterSeconds !== undefined ? { "retry-after": String(effect.retryAfterSeconds) } : {};
      send(res, method, armError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry the request.", extra));
      return;
    }
    if (effect.malformed) {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "x-ms-request-id": randomUUID() });
      res.end('{"value":[{"id":"/subscriptions/', "utf8");
      return;
    }
    // Latency alone: answer normally after the delay.
    send(res, method, normal);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const url = `https://${urlHost}:${port}`;
  baseUrl = url;

  let closed = false;
  return {
    url,
    token,
    caCertPem: tls.cert,
    caCertPath,
    env: {
      APIMBOT_ARM_ENDPOINT: url,
      APIMBOT_METRICS_ENDPOINT: `${url}/metrics/{region}`,
      APIMBOT_LOGS_ENDPOINT: `${url}/v1`,
      APIMBOT_STATIC_BEARER_TOKEN: token,
      NODE_EXTRA_CA_CERTS: caCertPath,
      APIMBOT_SUBSCRIPTION_IDS: scenario.subscriptions.map((s) => s.id).join(","),
    },
    ...control,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await done;
      rmSync(certDir, { recursive: true, force: true });
    },
  };
}

function telemetryKind(path: string): string {
  const p = path.toLowerCase();
  if (p.includes("metrics:getbatch")) return "metrics.batch";
  if (p.endsWith("/providers/microsoft.insights/metrics")) return "metrics.arm";
  if (p.endsWith("/metricdefinitions")) return "metrics.definitions";
  if (/\/workspaces\/[^/]+\/query$/.test(p)) return "logs.query";
  return "telemetry";
}

/** Splits a raw request target into a decoded path (slashes collapsed) and decoded query keys. */
export function parseTarget(target: string): { path: string; query: URLSearchParams } | undefined {
  const q = target.indexOf("?");
  const rawPath = q >= 0 ? target.slice(0, q) : target;
  const rawQuery = q >= 0 ? target.slice(q + 1) : "";
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  // `//subscriptions/...` comes from clients that join an endpoint and a resource id naively.
  path = `/${path.split("/").filter((s) => s !== "").join("/")}`;
  return { path, query: new URLSearchParams(rawQuery) };
}

function send(res: ServerResponse, method: string, r: EmuResponse): void {
  const text = r.body === undefined ? "" : JSON.stringify(r.body);
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "x-ms-request-id": randomUUID(),
    "x-ms-correlation-request-id": randomUUID(),
    "x-ms-ratelimit-remaining-subscription-reads": "249",
    ...(r.headers ?? {}),
  };
  headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(r.status, headers);
  res.end(method === "HEAD" ? undefined : text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });
}
