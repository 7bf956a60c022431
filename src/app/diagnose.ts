import { detectAll } from "../detect/catalog";
import type { DetectConfig } from "../detect/config";
import type { Detection, Finding } from "../domain/finding";
import type { ApiInfo, InstanceSnapshot, PolicyDoc } from "../domain/snapshot";
import type { InstanceTelemetry } from "../domain/telemetry";
import { checkInstance } from "../hygiene/catalog";
import type { Diagnosis } from "../notify/views";
import { editDistance } from "../domain/edit-distance";
import type { AppDeps } from "./app-deps";
import { INTERVAL_MINUTES, TELEMETRY_WINDOW_MINUTES } from "./sweep";

/** How far back "recent" traffic goes in a diagnosis. */
const RECENT_MINUTES = 15;

/** A name that matched nothing, or more than one API: the closest names to choose from. */
export interface Candidates {
  candidates: string[];
}

interface ApiMatch {
  snap: InstanceSnapshot;
  api: ApiInfo;
}

function baseName(api: ApiInfo): string {
  return api.name.split(";")[0] as string;
}

/** Finds the API by id, display name or path, case-insensitively; current revisions only. */
export function matchApi(snaps: readonly InstanceSnapshot[], wanted: string): { match?: ApiMatch; candidates: string[] } {
  const w = wanted.toLowerCase();
  const all: ApiMatch[] = snaps.flatMap((snap) => (snap.config?.apis ?? []).filter((a) => a.isCurrent).map((api) => ({ snap, api })));
  const exact = all.filter(({ api }) => baseName(api).toLowerCase() === w || api.displayName.toLowerCase() === w || api.path.toLowerCase() === w);
  const label = (m: ApiMatch) => `${baseName(m.api)} in ${m.snap.instance.name}`;
  if (exact.length === 1) return { match: exact[0], candidates: [] };
  if (exact.length > 1) return { candidates: exact.map(label) };
  const scored = all
    .map((m) => {
      const name = baseName(m.api).toLowerCase();
      const contains = name.includes(w) || w.includes(name) || m.api.displayName.toLowerCase().includes(w);
      return { m, score: contains ? 0 : Math.min(editDistance(w, name), editDistance(w, m.api.displayName.toLowerCase())) };
    })
    .filter((s) => s.score <= Math.max(3, Math.floor(w.length / 2)))
    .sort((a, b) => a.score - b.score || label(a.m).localeCompare(label(b.m)));
  return { candidates: [...new Set(scored.slice(0, 5).map((s) => label(s.m)))] };
}

function recentTraffic(telemetry: InstanceTelemetry | undefined, apiId: string, now: Date): Record<string, unknown> {
  if (!telemetry) return { available: false };
  const since = now.getTime() - RECENT_MINUTES * 60_000;
  const rows = telemetry.requests.filter((r) => r.apiId.toLowerCase() === apiId.toLowerCase() && Date.parse(r.time) >= since);
  const total = rows.reduce((n, r) => n + r.count, 0);
  const bucket = (filter: (r: (typeof rows)[number]) => boolean, key: (r: (typeof rows)[number]) => string) => {
    const out: Record<string, number> = {};
    for (const r of rows.filter(filter)) out[key(r)] = (out[key(r)] ?? 0) + r.count;
    return out;
  };
  const is5xx = (r: (typeof rows)[number]) => r.gatewayResponseCodeCategory === "5xx";
  const isAuth = (r: (typeof rows)[number]) => r.gatewayResponseCode === "401" || r.gatewayResponseCode === "403";
  const failures5xx = rows.filter(is5xx).reduce((n, r) => n + r.count, 0);
  const authFailures = rows.filter(isAuth).reduce((n, r) => n + r.count, 0);
  return {
    available: true,
    minutes: RECENT_MINUTES,
    requests: total,
    failures5xx,
    rate5xx: total > 0 ? failures5xx / total : 0,
    "5xxByReason": bucket(is5xx, (r) => r.lastErrorReason || (r.backendResponseCode ? `backend ${r.backendResponseCode}` : "unknown")),
    authFailures,
    authByReason: bucket(isAuth, (r) => `${r.gatewayResponseCode} ${r.lastErrorReason || "no reason"}`),
  };
}

function trafficSentence(t: Record<string, unknown>): string {
  if (!t.available) return "no metrics could be read for this instance";
  const n = (v: unknown) => (typeof v === "number" ? v.toLocaleString("en-US") : "0");
  const pct = (v: unknown) => (typeof v === "number" ? `${(v * 100).toFixed(1)}%` : "0%");
  const reasons = (o: unknown) =>
    Object.entries((o ?? {}) as Record<string, number>)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`)
      .join(", ");
  const fives = reasons(t["5xxByReason"]);
  const auth = reasons(t.authByReason);
  return `${n(t.requests)} requests in ${String(t.minutes)} min; ${n(t.failures5xx)} 5xx (${pct(t.rate5xx)})${fives ? `: ${fives}` : ""}; ${n(t.authFailures)} 401/403${auth ? `: ${auth}` : ""}`;
}

function chainOf(snap: InstanceSnapshot, api: ApiInfo): PolicyDoc[] {
  const config = snap.config;
  if (!config) return [];
  const products = new Set(config.products.filter((p) => p.apiNames.some((n) => n.toLowerCase() === baseName(api).toLowerCase())).map((p) => p.name.toLowerCase()));
  const order = { global: 0, product: 1, api: 2, operation: 3 } as const;
  return config.policies
    .filter(
      (p) =>
        p.scope === "global" ||
        (p.scope === "product" && products.has((p.productName ?? "").toLowerCase())) ||
        ((p.scope === "api" || p.scope === "operation") && (p.apiName ?? "").toLowerCase() === api.name.toLowerCase()),
    )
    .sort((a, b) => order[a.scope] - order[b.scope] || (a.operationName ?? "").localeCompare(b.operationName ?? ""));
}

function policyLabel(p: PolicyDoc): string {
  if (p.scope === "global") return "global (all APIs)";
  if (p.scope === "product") return `product ${p.productName}`;
  if (p.scope === "api") return `API ${p.apiName}`;
  return `operation ${p.operationName}`;
}

function backendEvidence(snap: InstanceSnapshot, api: ApiInfo, chain: PolicyDoc[]): string[] {
  const config = snap.config;
  const ids = new Set<string>();
  for (const p of chain) for (const m of p.xml.matchAll(/backend-id\s*=\s*"([^"@{}]+)"/g)) ids.add((m[1] as string).toLowerCase());
  const out: string[] = [];
  if (api.serviceUrl !== undefined) out.push(`API service URL: ${api.serviceUrl}`);
  for (const b of config?.backends ?? []) {
    if (!ids.has(b.name.toLowerCase()) && !(api.serviceUrl && b.url.toLowerCase() === api.serviceUrl.toLowerCase())) continue;
    const chain = b.validateCertificateChain ?? true;
    const nameCheck = b.validateCertificateName ?? true;
    const tls = chain && nameCheck ? "TLS chain and name validated" : `TLS ${!chain ? "chain" : ""}${!chain && !nameCheck ? " and " : ""}${!nameCheck ? "name" : ""} validation OFF`;
    out.push(`backend ${b.name}: ${b.url} (${tls}${b.hasCircuitBreaker ? ", circuit breaker" : ""})`);
  }
  return out;
}

function apiOf(d: Detection): string | undefined {
  return d.api?.split(";")[0]?.toLowerCase();
}

function asFinding(d: Detection, nowIso: string): Finding {
  return { ...d, status: "firing", change: "new", firstSeen: nowIso, lastSeen: nowIso };
}

/**
 * `diagnose <api> [in <instance>]`: reads the instance's configuration and recent traffic, runs the
 * detectors and the policy rules on that one API, and names the layer at fault with the evidence.
 */
export async function diagnose(deps: AppDeps, apiName: string, instanceName: string | undefined, config: DetectConfig): Promise<Diagnosis | Candidates> {
  const now = deps.clock.now();
  const wantInstance = instanceName?.toLowerCase();
  const collected = await deps.collector.collect({
    readConfig: true,
    readSubscriptions: () => false,
    readLogDestinations: () => true,
    telemetryWindowMinutes: TELEMETRY_WINDOW_MINUTES,
    intervalMinutes: INTERVAL_MINUTES,
    readLogs: true,
    readHealth: () => true,
    instanceFilter: wantInstance ? (i) => i.name.toLowerCase() === wantInstance : undefined,
  });
  const { estate, telemetry } = collected;
  // No instance of that name: nothing to match the API against.
  if (wantInstance && estate.instances.length === 0) return { candidates: [] };
  const { match, candidates } = matchApi(estate.instances, apiName);
  if (!match) return { candidates };
  const { snap, api } = match;
  const name = baseName(api);
  const nowIso = now.toISOString();

  const loaded = await deps.alerts.loadPrior();
  const instanceEstate = { ...estate, instances: [snap], failures: estate.failures.filter((f) => f.instanceId.toLowerCase() === snap.instance.id.toLowerCase()) };
  const detections = detectAll({ estate: instanceEstate, telemetry, prior: loaded.prior, now, config }).detections;
  const apiFindings = detections.filter((d) => apiOf(d) === name.toLowerCase());
  const instanceFindings = detections.filter((d) => d.api === undefined && (d.kind.startsWith("provisioning") || d.kind === "collection-failed" || d.kind === "certificate-expiring"));

  const chain = chainOf(snap, api);
  const hygiene = checkInstance(snap, now);
  const chainIds = new Set(chain.map((p) => p.id.toLowerCase()));
  const chainProblems = hygiene.filter((h) => chainIds.has(h.resourceId.toLowerCase()));
  const apiProblems = hygiene.filter((h) => !chainIds.has(h.resourceId.toLowerCase()) && apiOf(h) === name.toLowerCase());

  const traffic = recentTraffic(telemetry.get(snap.instance.id) ?? [...telemetry.entries()].find(([id]) => id.toLowerCase() === snap.instance.id.toLowerCase())?.[1], name, now);
  const portal = snap.config?.portalRevisions ?? [];
  const portalPublished = portal.some((r) => r.isCurrent && r.status.toLowerCase() === "completed");
  const diagnostics = (snap.config?.diagnostics ?? []).filter((d) => d.apiName === undefined || d.apiName.toLowerCase() === api.name.toLowerCase());

  const evidence: Record<string, unknown> = {
    instance: snap.instance.name,
    sku: snap.instance.sku.name,
    provisioningState: snap.instance.provisioningState,
    apiPath: `/${api.path}`,
    protocols: api.protocols,
    subscriptionRequired: api.subscriptionRequired,
    products: (snap.config?.products ?? []).filter((p) => p.apiNames.some((n) => n.toLowerCase() === name.toLowerCase())).map((p) => p.name),
    recentTraffic: trafficSentence(traffic),
    backends: backendEvidence(snap, api, chain),
    policyChain: chain.map((p) => {
      const problems = chainProblems.filter((h) => h.resourceId.toLowerCase() === p.id.toLowerCase());
      if (problems.length === 0) return `${policyLabel(p)}: ok`;
      return `${policyLabel(p)}: ${problems.map((h) => `${h.rule}${typeof h.evidence.line === "number" ? ` (line ${h.evidence.line})` : ""}`).join(", ")}`;
    }),
    diagnostics: diagnostics.length > 0 ? diagnostics.map((d) => `${d.name}${d.apiName ? ` (API)` : ""}`) : "none: requests are not logged to Application Insights or Azure Monitor",
    developerPortal: portalPublished ? "published" : "never published",
    collectionFailures: snap.failures.map((f) => `${f.part}: ${f.code}`),
  };

  const findings = [...instanceFindings, ...apiFindings].map((d) => asFinding(d, nowIso));
  const configProblems = [...chainProblems, ...apiProblems];
  let layer: Diagnosis["layer"];
  let verdict: string;
  const firstApi = apiFindings[0];
  if (instanceFindings.some((d) => d.kind !== "certificate-expiring")) {
    layer = "management";
    verdict = `The management plane is at fault: ${instanceFindings[0]?.title}.`;
  } else if (firstApi) {
    layer = "gateway";
    verdict = `The gateway is failing requests to ${name}: ${firstApi.title}.${firstApi.cause ? ` Cause: ${firstApi.cause}.` : ""}`;
  } else if (typeof traffic.rate5xx === "number" && traffic.rate5xx > 0.05 && typeof traffic.requests === "number" && traffic.requests >= 20) {
    layer = "gateway";
    verdict = `${Math.round(traffic.rate5xx * 100)}% of the last ${RECENT_MINUTES} minutes' requests to ${name} failed with 5xx, below the alert thresholds.`;
  } else if (!portalPublished) {
    layer = "portal";
    verdict = `Requests to ${name} look healthy, but the developer portal of ${snap.instance.name} was never published, so API consumers cannot find it.`;
  } else {
    layer = "gateway";
    verdict = `No fault found on ${name} in the last ${RECENT_MINUTES} minutes: requests, provisioning and the portal look healthy.`;
  }
  if (configProblems.length > 0) verdict += ` ${configProblems.length} configuration problem(s) in its policy chain or settings are marked below.`;

  const remediation = findings.length === 0 ? configProblems.flatMap((p) => p.remediation.slice(0, 2)).slice(0, 6) : undefined;
  return { api: name, instance: snap.instance.name, layer, verdict, findings: [...findings, ...configProblems.map((d) => asFinding(d, nowIso))], evidence, remediation };
}
