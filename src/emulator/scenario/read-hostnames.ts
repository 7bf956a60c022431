/** The custom host names of an instance. */
import type { TimeSpec } from "../relative-time";
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** A custom host name (gateway, portal, management, ...) with its certificate. */
export interface ScenarioHostname {
  type: string;
  hostName: string;
  certificateSource?: string;
  keyVaultId?: string;
  defaultSslBinding?: boolean;
  negotiateClientCertificate?: boolean;
  certificate?: { expiry: TimeSpec; thumbprint?: string; subject?: string };
}

const THUMBPRINT = { pattern: /^[0-9A-F]{40}$/, hint: "a 40-digit upper-case hex SHA-1 thumbprint" };

/** Reads `hostnames[]`. */
export function readHostnames(r: ScenarioReader, o: Obj, at: string): ScenarioHostname[] {
  return r.array(o, "hostnames", at).map((h, i) => {
    const p = `${at}.hostnames[${i}]`;
    const ho = r.object(h, p, ["type", "hostName", "certificateSource", "keyVaultId", "defaultSslBinding", "negotiateClientCertificate", "certificate"]);
    let certificate: ScenarioHostname["certificate"];
    if (ho.certificate !== undefined) {
      const c = `${p}.certificate`;
      const co = r.object(ho.certificate, c, ["expiry", "thumbprint", "subject"]);
      certificate = { expiry: r.reqTime(co, "expiry", c), ...opt("thumbprint", r.str(co, "thumbprint", c, THUMBPRINT)), ...opt("subject", r.str(co, "subject", c)) };
    }
    return {
      type: r.reqStr(ho, "type", p, { oneOf: ["Proxy", "Portal", "Management", "Scm", "DeveloperPortal", "ConfigurationApi"] }),
      hostName: r.reqStr(ho, "hostName", p, { pattern: /^[a-z0-9.*-]+$/i, hint: "a host name" }),
      ...opt("certificateSource", r.str(ho, "certificateSource", p, { oneOf: ["Managed", "KeyVault", "Custom", "BuiltIn"] })),
      ...opt("keyVaultId", r.str(ho, "keyVaultId", p, { pattern: /^https:\/\//, hint: "a Key Vault secret URL" })),
      ...opt("defaultSslBinding", r.bool(ho, "defaultSslBinding", p)),
      ...opt("negotiateClientCertificate", r.bool(ho, "negotiateClientCertificate", p)),
      ...opt("certificate", certificate),
    };
  });
}
