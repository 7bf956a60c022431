/** Builds large, believable scenarios for benchmarks: many instances, APIs, contracts and traffic. */

/** Size and shape of a generated estate. */
export interface GenerateOptions {
  instances: number;
  /** Azure subscriptions to spread the instances over (default: one per 25 instances, at least 1). */
  subscriptions?: number;
  /** Region of every instance (default: a rotation of five European and US regions). */
  region?: string;
  apisPerInstance?: number;
  /** Subscription contracts per instance (default 12). */
  contractsPerInstance?: number;
  /** Mean requests per minute per API (default 40). */
  requestsPerMinute?: number;
  /** Varies names and numbers; the same seed gives the same estate. */
  seed?: number;
}

const REGIONS = ["West Europe", "North Europe", "East US 2", "Sweden Central", "UK South"];
const DOMAINS = ["orders", "payments", "catalog", "inventory", "shipping", "customers", "invoices", "loyalty", "pricing", "returns", "search", "notifications", "identity", "reviews", "warehouse", "quotes"];
const TEAMS = ["retail", "finance", "logistics", "partners", "mobile", "platform", "data", "commerce"];
const SKUS = ["Developer", "Standard", "Premium", "StandardV2", "BasicV2"];
const FIRST = ["Amira", "Jonas", "Priya", "Lukas", "Sofia", "Mateo", "Hannah", "Kenji", "Ines", "Oskar", "Leila", "Noah"];
const LAST = ["Haddad", "Berg", "Raman", "Novak", "Lindqvist", "Costa", "Fischer", "Tanaka", "Moreau", "Kowalski", "Okafor", "Silva"];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

function guidFrom(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A scenario object (the JSON a scenario file holds) that the emulator accepts. */
export function generateScenario(opts: GenerateOptions): Record<string, unknown> {
  if (!Number.isInteger(opts.instances) || opts.instances < 1) throw new Error("generateScenario: instances must be a positive whole number");
  const next = rng(opts.seed ?? 20_240_501);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const subCount = Math.max(1, opts.subscriptions ?? Math.ceil(opts.instances / 25));
  const subscriptions = Array.from({ length: subCount }, (_, i) => ({ id: guidFrom(next), displayName: `${pick(TEAMS)}-${i % 2 === 0 ? "prod" : "nonprod"}-${String(i + 1).padStart(2, "0")}` }));
  const apisPer = opts.apisPerInstance ?? 6;
  const contractsPer = opts.contractsPerInstance ?? 12;
  const rpm = opts.requestsPerMinute ?? 40;

  const instances = Array.from({ length: opts.instances }, (_, n) => {
    const sub = subscriptions[n % subCount] ?? subscriptions[0];
    const team = TEAMS[n % TEAMS.length] ?? "platform";
    const sku = SKUS[n % SKUS.length] ?? "Developer";
    const name = `apim-${team}-${String(n + 1).padStart(4, "0")}`;
    const apis = Array.from({ length: apisPer }, (_, k) => {
      const domain = DOMAINS[(n + k) % DOMAINS.length] ?? "orders";
      const apiName = `${domain}-api${k >= DOMAINS.length ? `-${k}` : ""}`;
      return {
        name: apiName,
        displayName: `${domain[0]?.toUpperCase() ?? ""}${domain.slice(1)} API`,
        path: `${domain}${k >= DOMAINS.length ? `-${k}` : ""}`,
        serviceUrl: `https://${domain}.${team}.internal.contoso.example/api`,
        operations: [
          { name: `list-${domain}`, method: "GET", urlTemplate: `/${domain}` },
          { name: `get-${domain}`, method: "GET", urlTemplate: `/${domain}/{id}` },
          { name: `create-${domain}`, method: "POST", urlTemplate: `/${domain}` },
        ],
        policy: "<policies>\n  <inbound>\n    <base />\n    <set-backend-service backend-id=\"" + domain + "-backend\" />\n  </inbound>\n  <backend>\n    <base />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n</policies>",
        traffic: {
          requestsPerMinute: Math.max(1, Math.round(rpm * (0.5 + next()))),
          mix: [
            { share: 96, code: 200, backend: 200 },
            { share: 3, code: 404, backend: 404 },
            { share: 1, code: 401, reason: "TokenExpired" },
          ],
        },
      };
    });
    const users = Array.from({ length: Math.min(6, contractsPer) }, (_, u) => {
      const first = FIRST[(n + u) % FIRST.length] ?? "Alex";
      const last = LAST[(n * 3 + u) % LAST.length] ?? "Doe";
      return { name: `${first}-${last}`.toLowerCase(), email: `${first}.${last}@contoso.example`.toLowerCase(), firstName: first, lastName: last };
    });
    const contracts = Array.from({ length: contractsPer }, (_, c) => {
      const days = 20 + Math.floor(next() * 400);
      return {
        name: `${team}-client-${String(c + 1).padStart(3, "0")}`,
        displayName: `${team} client ${c + 1}`,
        scope: c % 3 === 0 ? `/apis/${apis[c % apis.length]?.name ?? "orders-api"}` : "/products/standard",
        ...(users.length > 0 ? { owner: users[c % users.length]?.name } : {}),
        state: "active",
        createdDate: `-${400 - (days % 300)}d`,
        expirationDate: `+${days}d`,
      };
    });
    return {
      name,
      subscriptionId: sub?.id,
      resourceGroup: `rg-${team}-apim`,
      location: opts.region ?? REGIONS[n % REGIONS.length],
      sku: { name: sku, capacity: sku === "Developer" ? 1 : 1 + (n % 2) },
      platformVersion: /V2$/.test(sku) ? undefined : "stv2",
      tags: { team, costCenter: `CC-${1000 + (n % 90)}` },
      identity: "SystemAssigned",
      users,
      apis,
      products: [{ name: "standard", displayName: "Standard", state: "published", subscriptionRequired: true, apis: apis.map((a) => a.name) }],
      subscriptions: contracts,
      portalRevisions: /V2$/.test(sku) ? [] : [{ name: "20250101000000", status: "completed", isCurrent: true, created: "-60d" }],
    };
  });
  for (const inst of instances) if (inst.platformVersion === undefined) delete (inst as { platformVersion?: string }).platformVersion;
  return { description: `Generated estate: ${opts.instances} instances over ${subCount} subscriptions`, subscriptions, instances };
}
