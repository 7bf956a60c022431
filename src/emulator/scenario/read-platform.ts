/** Developer portal revisions, self-hosted gateways, CA certificates and network status of an instance. */
import type { TimeSpec } from "../relative-time";
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** A developer portal revision. */
export interface ScenarioPortalRevision {
  name: string;
  status: string;
  isCurrent: boolean;
  description?: string;
  statusDetails?: string;
  created?: TimeSpec;
  updated?: TimeSpec;
}

/** A self-hosted gateway. */
export interface ScenarioGateway {
  name: string;
  description?: string;
  location?: string;
}

/** A certificate uploaded to the instance. */
export interface ScenarioCertificate {
  name: string;
  subject: string;
  thumbprint?: string;
  expirationDate: TimeSpec;
  keyVaultSecretId?: string;
}

/** The network status of one region: DNS servers and dependencies. */
export interface ScenarioNetworkLocation {
  location: string;
  dnsServers: string[];
  dependencies: { name: string; resourceType?: string; status: string; isOptional: boolean; error?: string; lastUpdated?: TimeSpec }[];
}

/** Reads `portalRevisions[]`. */
export function readPortalRevisions(r: ScenarioReader, o: Obj, at: string): ScenarioPortalRevision[] {
  return r.list(o, "portalRevisions", at, "portal revision", (x, p) => {
    const po = r.object(x, p, ["name", "status", "isCurrent", "description", "statusDetails", "created", "updated"]);
    return {
      name: r.name(po, "name", p),
      status: r.reqStr(po, "status", p, { oneOf: ["pending", "publishing", "completed", "failed"] }),
      isCurrent: r.bool(po, "isCurrent", p) ?? false,
      ...opt("description", r.str(po, "description", p)),
      ...opt("statusDetails", r.str(po, "statusDetails", p)),
      ...opt("created", r.time(po, "created", p)),
      ...opt("updated", r.time(po, "updated", p)),
    };
  });
}

/** Reads `gateways[]`. */
export function readGateways(r: ScenarioReader, o: Obj, at: string): ScenarioGateway[] {
  return r.list(o, "gateways", at, "gateway", (g, p) => {
    const go = r.object(g, p, ["name", "description", "location"]);
    return { name: r.name(go, "name", p), ...opt("description", r.str(go, "description", p)), ...opt("location", r.str(go, "location", p)) };
  });
}

/** Reads `certificates[]`. */
export function readCertificates(r: ScenarioReader, o: Obj, at: string): ScenarioCertificate[] {
  return r.list(o, "certificates", at, "certificate", (c, p) => {
    const co = r.object(c, p, ["name", "subject", "thumbprint", "expirationDate", "keyVaultSecretId"]);
    const expirationDate = r.reqTime(co, "expirationDate", p);
    return {
      name: r.name(co, "name", p),
      subject: r.reqStr(co, "subject", p),
      expirationDate,
      ...opt("thumbprint", r.str(co, "thumbprint", p, { pattern: /^[0-9A-F]{40}$/, hint: "a 40-digit upper-case hex SHA-1 thumbprint" })),
      ...opt("keyVaultSecretId", r.str(co, "keyVaultSecretId", p)),
    };
  });
}

/** Reads `networkStatus[]`, when given (otherwise every dependency of every region is healthy). */
export function readNetworkStatus(r: ScenarioReader, o: Obj, at: string): ScenarioNetworkLocation[] | undefined {
  if (o.networkStatus === undefined) return undefined;
  return r.array(o, "networkStatus", at).map((n, i) => {
    const p = `${at}.networkStatus[${i}]`;
    const no = r.object(n, p, ["location", "dnsServers", "dependencies"]);
    return {
      location: r.reqStr(no, "location", p),
      dnsServers: r.strings(no, "dnsServers", p),
      dependencies: r.array(no, "dependencies", p).map((d, j) => {
        const q = `${p}.dependencies[${j}]`;
        const dobj = r.object(d, q, ["name", "resourceType", "status", "isOptional", "error", "lastUpdated"]);
        return {
          name: r.reqStr(dobj, "name", q),
          status: r.reqStr(dobj, "status", q, { oneOf: ["success", "failure", "initializing"] }),
          isOptional: r.bool(dobj, "isOptional", q) ?? false,
          ...opt("resourceType", r.str(dobj, "resourceType", q)),
          ...opt("error", r.str(dobj, "error", q)),
          ...opt("lastUpdated", r.time(dobj, "lastUpdated", q)),
        };
      }),
    };
  });
}
