import { generate } from "selfsigned";

/** A PEM key and certificate for the emulator's HTTPS listener. */
export interface TlsMaterial {
  key: string;
  cert: string;
}

/** Makes a fresh self-signed certificate for `127.0.0.1`, `::1` and `localhost`, valid for 30 days. */
export async function makeTlsCertificate(now: Date = new Date()): Promise<TlsMaterial> {
  const notBeforeDate = new Date(now.getTime() - 60 * 60_000);
  const pems = await generate([{ name: "commonName", value: "apimbot APIM estate emulator" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate: new Date(now.getTime() + 30 * 86_400_000),
    extensions: [
      // It is its own trust anchor, so clients pass it as `ca`.
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
