import { createServer, request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { makeTlsCertificate } from "../../src/emulator/tls-certificate";

/** An HTTPS pass-through in front of the emulator that answers 403 for paths a test names: a role removed. */
export interface ForbiddingProxy {
  url: string;
  caCertPem: string;
  close(): Promise<void>;
}

/** Starts the proxy; requests whose decoded path matches `deny` get ARM's AuthorizationFailed answer. */
export async function startForbiddingProxy(upstream: string, upstreamCa: string, deny: RegExp): Promise<ForbiddingProxy> {
  const tls = await makeTlsCertificate(new Date());
  const self = { url: "" };
  const target = new URL(upstream);
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    if (deny.test(path)) {
      req.resume();
      res.writeHead(403, { "content-type": "application/json; charset=utf-8", "x-ms-failure-cause": "gateway" });
      res.end(
        JSON.stringify({
          error: {
            code: "AuthorizationFailed",
            message: `The client 'apimbot-reader' does not have authorization to perform action 'Microsoft.ApiManagement/service/read' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
          },
        }),
      );
      return;
    }
    const upstreamReq = httpsRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, ca: upstreamCa },
      (upstreamRes) => {
        // Paging links name the emulator; point them back at the proxy so the next page passes it too.
        const chunks: Buffer[] = [];
        upstreamRes.on("data", (c: Buffer) => chunks.push(c));
        upstreamRes.on("end", () => {
          const body = Buffer.from(Buffer.concat(chunks).toString("utf8").split(target.origin).join(self.url));
          const headers = { ...upstreamRes.headers, "content-length": String(body.length) };
          delete headers["transfer-encoding"];
          res.writeHead(upstreamRes.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    upstreamReq.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  self.url = `https://127.0.0.1:${port}`;
  return {
    url: `https://127.0.0.1:${port}`,
    caCertPem: tls.cert,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
