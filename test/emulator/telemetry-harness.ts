import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";
import type { TokenCredential } from "@azure/core-auth";
import { type TelemetryInstance, handleTelemetry } from "../../src/emulator/telemetry-routes";

/** A loopback HTTPS server answering only the telemetry routes, for driving the real SDK clients. */
export interface TelemetryServer {
  url: string;
  caCertPem: string;
  token: string;
  /** Every request the server saw: method, raw URL and parsed body. */
  seen: { method: string; url: string; body: unknown }[];
  setNow(now: Date): void;
  close(): Promise<void>;
}

/** A credential that hands out a fixed token. */
export function fixedCredential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/** Starts a telemetry-only HTTPS server on a free loopback port over `estate`, with its clock at `now`. */
export async function startTelemetryServer(estate: TelemetryInstance[], now: Date): Promise<TelemetryServer> {
  const pems = await generate([{ name: "commonName", value: "telemetry test server" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - 3_600_000),
    notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  });
  const token = "test-token-telemetry";
  let clock = now;
  const seen: TelemetryServer["seen"] = [];
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      seen.push({ method: req.method ?? "GET", url: req.url ?? "", body });
      const send = (status: number, payload: unknown): void => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${token}`) {
        send(401, { error: { code: "AuthenticationFailed", message: "Missing or wrong bearer token." } });
        return;
      }
      // Split by hand: a path starting `//subscriptions` would otherwise parse as a host name.
      const target = req.url ?? "/";
      const q = target.indexOf("?");
      const path = decodeURIComponent(q < 0 ? target : target.slice(0, q)).replace(/^\/{2,}/, "/");
      const query = new URLSearchParams();
      for (const [k, v] of new URLSearchParams(q < 0 ? "" : target.slice(q + 1))) query.append(decodeURIComponent(k), v);
      const answer = handleTelemetry({ method: req.method ?? "GET", path, query, body }, estate, clock);
      if (!answer) send(404, { error: { code: "NotFound", message: `No route for ${path}` } });
      else send(answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caCertPem: pems.cert,
    token,
    seen,
    setNow: (d) => {
      clock = d;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
