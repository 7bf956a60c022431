import { ConfigError } from "../domain/errors";

/**
 * Every setting apimbot reads, parsed once. Names and defaults are the outside contract (CONTRACT.md,
 * docs/settings.md). Nothing else reads `process.env`.
 */
export interface Settings {
  /** Subscriptions to sweep; empty means every subscription the identity can read. */
  subscriptionIds: string[];
  armEndpoint: string;
  /** Batch metrics base URL with a `{region}` placeholder. */
  metricsEndpoint: string;
  logsEndpoint: string;
  /** Workspace GUIDs to query; empty means found from diagnostic settings. */
  logWorkspaceIds: string[];
  /** Emulator-only bearer token used instead of `@azure/identity`. Never logged. */
  staticBearerToken?: string;
  /** Client id of the user-assigned managed identity, when there is one. */
  managedIdentityClientId?: string;
  storage: { connectionString: string } | { accountName: string; credential?: string; clientId?: string };
  sweepSchedule: string;
  reportSchedule: string;
  port: number;
  host: string;
  devAnonymousBot: boolean;
  /** Tenants allowed to talk to the bot; empty means only the bot's own tenant. */
  allowedTenants: string[];
  /** Users (AAD object ids or UPNs) allowed to ack/snooze/silence; empty means anyone in the conversation. */
  actionUsers: string[];
  /** How often subscription contracts, diagnostic settings and workspaces are re-read, in minutes. */
  contractsRefreshMinutes: number;
  /** Reminder ladder for expiring subscriptions, in days, descending. */
  reminderDays: number[];
  /** Concurrency limit for per-instance reads. */
  concurrency: number;
  /** Routing rules (JSON), see docs/settings.md. Empty means everything everywhere. */
  routes: RouteRule[];
}

/** One routing rule: findings matching all given fields go to the named conversations. */
export interface RouteRule {
  /** Conversation ids, or `*` for every installed conversation. */
  conversations: string[];
  subscriptionIds?: string[];
  resourceGroups?: string[];
  instances?: string[];
  apis?: string[];
  minSeverity?: "info" | "warning" | "critical";
}

type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function list(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return [];
  return raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

function guids(env: Env, name: string): string[] {
  const values = list(env, name);
  for (const value of values) {
    if (!GUID.test(value)) throw new ConfigError(`${name}: "${value}" is not a GUID; expected comma-separated ids like 00000000-0000-0000-0000-000000000000`);
  }
  return values;
}

function url(env: Env, name: string, fallback: string, allowPlaceholder = false): string {
  const raw = env[name]?.trim() || fallback;
  const probe = allowPlaceholder ? raw.replace("{region}", "region") : raw;
  let parsed: URL;
  try {
    parsed = new URL(probe);
  } catch {
    throw new ConfigError(`${name}: "${raw}" is not a URL; expected something like ${fallback}`);
  }
  if (parsed.protocol !== "https:") throw new ConfigError(`${name}: "${raw}" must use https (the Azure SDKs refuse plain http)`);
  if (allowPlaceholder && !raw.includes("{region}") && env[name] !== undefined) {
    // A fixed host is fine (an emulator serves every region); nothing to check.
  }
  return raw.replace(/\/+$/, "");
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}: "${raw}" is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function schedule(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  const fields = raw.split(/\s+/);
  if (fields.length !== 6) {
    throw new ConfigError(`${name}: "${raw}" is not an NCRONTAB expression with six fields (second minute hour day month day-of-week), e.g. "0 */5 * * * *"`);
  }
  return raw;
}

function parseRoutes(env: Env): RouteRule[] {
  const raw = env.APIMBOT_ROUTES?.trim();
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(`APIMBOT_ROUTES: not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new ConfigError("APIMBOT_ROUTES: expected a JSON array of route rules");
  const allowed = new Set(["conversations", "subscriptionIds", "resourceGroups", "instances", "apis", "minSeverity"]);
  return parsed.map((rule: unknown, i: number): RouteRule => {
    if (typeof rule !== "object" || rule === null || Array.isArray(rule)) throw new ConfigError(`APIMBOT_ROUTES[${i}]: expected an object`);
    const r = rule as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!allowed.has(key)) throw new ConfigError(`APIMBOT_ROUTES[${i}]: unknown key "${key}"; allowed: ${[...allowed].join(", ")}`);
    }
    const strings = (key: string): string[] | undefined => {
      const v = r[key];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new ConfigError(`APIMBOT_ROUTES[${i}].${key}: expected an array of strings`);
      return v as string[];
    };
    const conversations = strings("conversations");
    if (!conversations || conversations.length === 0) throw new ConfigError(`APIMBOT_ROUTES[${i}].conversations: required, a non-empty array (use ["*"] for all)`);
    const minSeverity = r.minSeverity;
    if (minSeverity !== undefined && minSeverity !== "info" && minSeverity !== "warning" && minSeverity !== "critical") {
      throw new ConfigError(`APIMBOT_ROUTES[${i}].minSeverity: "${String(minSeverity)}" is not one of info, warning, critical`);
    }
    return {
      conversations,
      subscriptionIds: strings("subscriptionIds"),
      resourceGroups: strings("resourceGroups"),
      instances: strings("instances"),
      apis: strings("apis"),
      minSeverity: minSeverity as RouteRule["minSeverity"],
    };
  });
}

function reminderLadder(env: Env): number[] {
  const raw = list(env, "APIMBOT_REMINDER_DAYS");
  if (raw.length === 0) return [30, 14, 7, 1];
  const days = raw.map((d) => {
    const n = Number(d);
    if (!Number.isInteger(n) || n < 0 || n > 365) throw new ConfigError(`APIMBOT_REMINDER_DAYS: "${d}" is not a whole number of days from 0 to 365`);
    return n;
  });
  return [...new Set(days)].sort((a, b) => b - a);
}

function storage(env: Env): Settings["storage"] {
  const conn = env.AzureWebJobsStorage?.trim();
  if (conn) {
    if (conn === "UseDevelopmentStorage=true" || /AccountName=|BlobEndpoint=|TableEndpoint=/i.test(conn)) return { connectionString: conn };
    throw new ConfigError("AzureWebJobsStorage: not a storage connection string; expected UseDevelopmentStorage=true or AccountName=...;AccountKey=...");
  }
  const accountName = env.AzureWebJobsStorage__accountName?.trim();
  if (accountName) {
    return { accountName, credential: env.AzureWebJobsStorage__credential?.trim() || undefined, clientId: env.AzureWebJobsStorage__clientId?.trim() || undefined };
  }
  throw new ConfigError("AzureWebJobsStorage: required; set it to a connection string (UseDevelopmentStorage=true for Azurite) or set AzureWebJobsStorage__accountName to use the managed identity");
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost" || /^127\./.test(host);
}

/** Reads and validates every setting. Throws {@link ConfigError} naming the first bad one. */
export function loadSettings(env: Env = process.env): Settings {
  const host = env.APIMBOT_HOST?.trim() || "127.0.0.1";
  const devAnonymousBot = env.APIMBOT_DEV_ANONYMOUS_BOT?.trim() === "1";
  if (devAnonymousBot && !isLoopback(host)) {
    throw new ConfigError(`APIMBOT_DEV_ANONYMOUS_BOT=1 is only allowed with a loopback APIMBOT_HOST; "${host}" would let anyone post unauthenticated activities`);
  }
  const token = env.APIMBOT_STATIC_BEARER_TOKEN?.trim();
  return {
    subscriptionIds: guids(env, "APIMBOT_SUBSCRIPTION_IDS"),
    armEndpoint: url(env, "APIMBOT_ARM_ENDPOINT", "https://management.azure.com"),
    metricsEndpoint: url(env, "APIMBOT_METRICS_ENDPOINT", "https://{region}.metrics.monitor.azure.com", true),
    logsEndpoint: url(env, "APIMBOT_LOGS_ENDPOINT", "https://api.loganalytics.azure.com/v1"),
    logWorkspaceIds: guids(env, "APIMBOT_LOG_WORKSPACE_IDS"),
    staticBearerToken: token ? token : undefined,
    managedIdentityClientId: env.AZURE_CLIENT_ID?.trim() || undefined,
    storage: storage(env),
    sweepSchedule: schedule(env, "APIMBOT_SWEEP_SCHEDULE", "0 */5 * * * *"),
    reportSchedule: schedule(env, "APIMBOT_REPORT_SCHEDULE", "0 0 8 * * 1"),
    port: int(env, "APIMBOT_PORT", 3978, 0, 65535),
    host,
    devAnonymousBot,
    allowedTenants: list(env, "APIMBOT_ALLOWED_TENANTS"),
    actionUsers: list(env, "APIMBOT_ACTION_USERS"),
    contractsRefreshMinutes: int(env, "APIMBOT_CONTRACTS_REFRESH_MINUTES", 60, 1, 10080),
    reminderDays: reminderLadder(env),
    concurrency: int(env, "APIMBOT_CONCURRENCY", 8, 1, 64),
    routes: parseRoutes(env),
  };
}

/** Every environment setting apimbot reads, for docs and the infra drift test. */
export const SETTING_NAMES = [
  "APIMBOT_SUBSCRIPTION_IDS",
  "APIMBOT_ARM_ENDPOINT",
  "APIMBOT_METRICS_ENDPOINT",
  "APIMBOT_LOGS_ENDPOINT",
  "APIMBOT_LOG_WORKSPACE_IDS",
  "APIMBOT_STATIC_BEARER_TOKEN",
  "AZURE_CLIENT_ID",
  "AzureWebJobsStorage",
  "AzureWebJobsStorage__accountName",
  "AzureWebJobsStorage__credential",
  "AzureWebJobsStorage__clientId",
  "APIMBOT_SWEEP_SCHEDULE",
  "APIMBOT_REPORT_SCHEDULE",
  "APIMBOT_PORT",
  "APIMBOT_HOST",
  "APIMBOT_DEV_ANONYMOUS_BOT",
  "APIMBOT_ALLOWED_TENANTS",
  "APIMBOT_ACTION_USERS",
  "APIMBOT_CONTRACTS_REFRESH_MINUTES",
  "APIMBOT_REMINDER_DAYS",
  "APIMBOT_CONCURRENCY",
  "APIMBOT_ROUTES",
] as const;
