/** The backends of an instance. */
import { join, opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** A backend the gateway forwards to. */
export interface ScenarioBackend {
  name: string;
  url: string;
  protocol: string;
  description?: string;
  resourceId?: string;
  validateCertificateChain?: boolean;
  validateCertificateName?: boolean;
  credentials?: { header?: Record<string, string[]>; query?: Record<string, string[]>; authorization?: { scheme: string; parameter: string } };
  circuitBreaker?: boolean;
}

function readCredentials(r: ScenarioReader, raw: unknown, q: string): ScenarioBackend["credentials"] {
  const co = r.object(raw, q, ["header", "query", "authorization"]);
  const lists = (key: string): Record<string, string[]> | undefined => {
    if (co[key] === undefined) return undefined;
    const mo = r.object(co[key], join(q, key), Object.keys(co[key] as Obj));
    return Object.fromEntries(Object.keys(mo).map((k) => [k, r.strings(mo, k, join(q, key))]));
  };
  let authorization: { scheme: string; parameter: string } | undefined;
  if (co.authorization !== undefined) {
    const ao = r.object(co.authorization, `${q}.authorization`, ["scheme", "parameter"]);
    authorization = { scheme: r.reqStr(ao, "scheme", `${q}.authorization`), parameter: r.reqStr(ao, "parameter", `${q}.authorization`) };
  }
  return { ...opt("header", lists("header")), ...opt("query", lists("query")), ...opt("authorization", authorization) };
}

/** Reads `backends[]`. */
export function readBackends(r: ScenarioReader, o: Obj, at: string): ScenarioBackend[] {
  return r.list(o, "backends", at, "backend", (b, p) => {
    const bo = r.object(b, p, ["name", "url", "protocol", "description", "resourceId", "validateCertificateChain", "validateCertificateName", "credentials", "circuitBreaker"]);
    return {
      name: r.name(bo, "name", p),
      url: r.reqStr(bo, "url", p, { pattern: /^(https?|fabric):\/\/[^\s]+$/, hint: "an absolute URL" }),
      protocol: r.str(bo, "protocol", p, { oneOf: ["http", "soap"] }) ?? "http",
      ...opt("description", r.str(bo, "description", p)),
      ...opt("resourceId", r.str(bo, "resourceId", p)),
      ...opt("validateCertificateChain", r.bool(bo, "validateCertificateChain", p)),
      ...opt("validateCertificateName", r.bool(bo, "validateCertificateName", p)),
      ...opt("credentials", bo.credentials === undefined ? undefined : readCredentials(r, bo.credentials, `${p}.credentials`)),
      ...opt("circuitBreaker", r.bool(bo, "circuitBreaker", p)),
    };
  });
}
