import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuthType, loadAuthConfigFromEnv, resolveAuthType } from "@microsoft/agents-hosting";
import { loadSettings, SETTING_NAMES } from "../../src/config/settings";
import { appSettings, literal, paramDefaults } from "./bicep-text";

const root = join(__dirname, "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const FUNCTION_APP = "infra/modules/function-app.bicep";

/**
 * Settings the code reads that are deliberately absent in Azure, each with the reason. Adding a setting to
 * SETTING_NAMES means either setting it in function-app.bicep or explaining here why Azure goes without.
 */
const NOT_SET_IN_AZURE: Record<string, string> = {
  AzureWebJobsStorage: "the keyed connection-string form; Azure uses the identity form AzureWebJobsStorage__accountName",
  APIMBOT_STATIC_BEARER_TOKEN: "emulator only: a fixed token in place of @azure/identity",
  APIMBOT_DEV_ANONYMOUS_BOT: "local only: accepts unauthenticated activities on loopback",
  APIMBOT_PORT: "local host only: in Azure the Functions host owns the port",
  APIMBOT_HOST: "local host only: in Azure the Functions host owns the listener",
  APIMBOT_ARM_ENDPOINT: "emulator override; the default is the public Azure Resource Manager",
  APIMBOT_METRICS_ENDPOINT: "emulator override; the default is the public metrics batch API",
  APIMBOT_LOGS_ENDPOINT: "emulator override; the default is the public Log Analytics query API",
};

/** Set in Azure but read by the platform or a library, not by apimbot's settings loader. */
const READ_BY_OTHERS: Record<string, string> = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: "Functions host: where telemetry goes",
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Functions host: ingest telemetry with the managed identity",
  clientId: "Microsoft 365 Agents SDK (loadAuthConfigFromEnv): the bot app id",
  tenantId: "Microsoft 365 Agents SDK: the bot's tenant",
  authType: "Microsoft 365 Agents SDK: how the bot gets its tokens",
};

describe("app settings in infra/modules/function-app.bicep against SETTING_NAMES", () => {
  const bicep = appSettings(read(FUNCTION_APP));
  const inBicep = new Set(bicep.map((s) => s.name));
  const known = new Set<string>(SETTING_NAMES);

  it("finds the app settings list", () => {
    // A parser that found nothing would make every comparison below pass vacuously.
    expect(bicep.length).toBeGreaterThan(10);
    expect(inBicep).toContain("AzureWebJobsStorage__accountName");
  });

  it("sets every setting the code reads, unless it is listed as deliberately absent", () => {
    const missing = SETTING_NAMES.filter((name) => !inBicep.has(name) && !(name in NOT_SET_IN_AZURE));
    expect(missing, `read by src/config/settings.ts but not set in ${FUNCTION_APP}: ${missing.join(", ")}`).toEqual([]);
  });

  it("sets nothing the code, the host or the Agents SDK does not read", () => {
    const unknown = [...inBicep].filter((name) => !known.has(name) && !(name in READ_BY_OTHERS));
    expect(unknown, `set in ${FUNCTION_APP} but read by nobody (not in SETTING_NAMES): ${unknown.join(", ")}`).toEqual([]);
  });

  it("keeps the deliberately-absent list honest", () => {
    const stale = Object.keys(NOT_SET_IN_AZURE).filter((name) => !known.has(name));
    expect(stale, `listed as not set in Azure but no longer in SETTING_NAMES: ${stale.join(", ")}`).toEqual([]);
    const contradictions = Object.keys(NOT_SET_IN_AZURE).filter((name) => inBicep.has(name));
    expect(contradictions, `listed as not set in Azure yet set in ${FUNCTION_APP}: ${contradictions.join(", ")}`).toEqual([]);
  });

  it("sets each name once", () => {
    const seen = new Set<string>();
    const twice = bicep.filter((s) => (seen.has(s.name) ? true : (seen.add(s.name), false))).map((s) => s.name);
    expect(twice).toEqual([]);
  });

  it("puts no key, SAS or password into a setting", () => {
    for (const { name, value } of bicep) {
      expect(value, name).not.toMatch(/listKeys|listAccountSas|listServiceSas|AccountKey=|SharedAccessSignature|InstrumentationKey=|Password|secret/i);
    }
  });
});

describe("defaults deployed to Azure against the code's defaults", () => {
  const main = paramDefaults(read("infra/main.bicep"));
  const parametersFile = JSON.parse(read("infra/main.parameters.json")) as { parameters: Record<string, { value: unknown }> };

  /** The value Azure gets when the operator sets nothing: the azd default in main.parameters.json, else the Bicep default. */
  function deployedDefault(param: string): string | undefined {
    const mapped = parametersFile.parameters[param]?.value;
    if (typeof mapped === "string") {
      const withDefault = /^\$\{[A-Z0-9_]+=(.*)\}$/.exec(mapped);
      if (withDefault) return withDefault[1];
    }
    const source = main.get(param);
    if (source === undefined) return undefined;
    return literal(source) ?? (/^-?\d+$/.test(source) ? source : undefined);
  }

  it("gives loadSettings the same values as the code's own defaults", () => {
    // Each setting whose value is a parameter (or string(parameter)) passed down from main.bicep.
    const env: Record<string, string> = {};
    const mapped: string[] = [];
    for (const { name, value } of appSettings(read(FUNCTION_APP))) {
      const param = /^(?:string\()?(\w+)\)?$/.exec(value)?.[1];
      if (!param || !name.startsWith("APIMBOT_")) continue;
      const deployed = deployedDefault(param);
      if (deployed === undefined) continue;
      env[name] = deployed;
      mapped.push(name);
    }
    expect(mapped).toEqual(expect.arrayContaining(["APIMBOT_SWEEP_SCHEDULE", "APIMBOT_REPORT_SCHEDULE", "APIMBOT_REMINDER_DAYS", "APIMBOT_CONCURRENCY", "APIMBOT_CONTRACTS_REFRESH_MINUTES"]));

    const storage = { AzureWebJobsStorage__accountName: "stapimbotx7k2m4q9", AzureWebJobsStorage__credential: "managedidentity" };
    const codeDefaults = loadSettings(storage);
    // One setting at a time, so that a failure names the setting that drifted.
    const drifted = mapped.filter((name) => JSON.stringify(loadSettings({ ...storage, [name]: env[name] })) !== JSON.stringify(codeDefaults));
    expect(drifted.map((name) => `${name}="${env[name]}"`), "Azure's default differs from the code's default").toEqual([]);
  });

  it("is accepted by loadSettings as Azure would present it", () => {
    const clientId = "5f0c3b1e-8d2a-4c7e-9b61-2a4d8e7f1c03";
    const settings = loadSettings({
      AzureWebJobsStorage__accountName: "stapimbotx7k2m4q9",
      AzureWebJobsStorage__credential: "managedidentity",
      AzureWebJobsStorage__clientId: clientId,
      AZURE_CLIENT_ID: clientId,
      APIMBOT_SUBSCRIPTION_IDS: "3b9f6c2e-1d4a-4e8b-a7c5-9f2e6d1b8a40,c81e4d7a-2f5b-4c9e-8a13-6d7f2b9e0c51",
      APIMBOT_LOG_WORKSPACE_IDS: "",
      APIMBOT_SWEEP_SCHEDULE: "0 */5 * * * *",
      APIMBOT_REPORT_SCHEDULE: "0 0 8 * * 1",
      APIMBOT_ALLOWED_TENANTS: "",
      APIMBOT_ACTION_USERS: "",
      APIMBOT_CONTRACTS_REFRESH_MINUTES: "60",
      APIMBOT_REMINDER_DAYS: "30,14,7,1",
      APIMBOT_CONCURRENCY: "8",
      APIMBOT_ROUTES: "",
    });
    expect(settings.storage).toEqual({ accountName: "stapimbotx7k2m4q9", credential: "managedidentity", clientId });
    expect(settings.managedIdentityClientId).toBe(clientId);
    expect(settings.staticBearerToken).toBeUndefined();
    expect(settings.subscriptionIds).toHaveLength(2);
    expect(settings.routes).toEqual([]);
  });
});

describe("bot identity settings against the Agents SDK", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it("makes the SDK authenticate as the user-assigned identity", () => {
    const bicep = new Map(appSettings(read(FUNCTION_APP)).map((s) => [s.name, s.value]));
    const authType = literal(bicep.get("authType") ?? "");
    expect(Object.values(AuthType), `authType "${authType}" is not one the SDK knows`).toContain(authType);
    // clientId must be the same identity as AZURE_CLIENT_ID and the storage client id.
    expect(bicep.get("clientId")).toBe(bicep.get("AZURE_CLIENT_ID"));
    expect(bicep.get("clientId")).toBe(bicep.get("AzureWebJobsStorage__clientId"));

    process.env.TEST_MODE = "true";
    process.env.clientId = "5f0c3b1e-8d2a-4c7e-9b61-2a4d8e7f1c03";
    process.env.tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    process.env.authType = authType ?? "";
    const config = loadAuthConfigFromEnv();
    expect(config.clientId).toBe("5f0c3b1e-8d2a-4c7e-9b61-2a4d8e7f1c03");
    expect(config.tenantId).toBe("72f988bf-86f1-41af-91ab-2d7cd011db47");
    expect(resolveAuthType(config)).toBe(AuthType.UserManagedIdentity);
  });
});
