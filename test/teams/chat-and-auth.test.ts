import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/domain/clock";
import { memoryLogger } from "../../src/domain/logger";
import { createBotEndpoint, type BotEndpoint } from "../../src/teams/endpoint";
import { startConnectorStandin, type ConnectorStandin } from "../support/connector-standin";
import { authFinding, expiringFinding, spikeFinding } from "../notify/findings-fixture";
import { CHANNEL, cardOf, cardText, FakeServices, freshStores, installActivity, invokeActivity, messageActivity, TENANT } from "./harness";

const LOCAL = { devAnonymousBot: true, allowedTenants: [], actionUsers: [], routes: [] };

describe("chat commands", () => {
  let connector: ConnectorStandin;
  let services: FakeServices;
  let endpoint: BotEndpoint;
  let clock: ManualClock;

  beforeAll(async () => {
    connector = await startConnectorStandin();
  });
  afterAll(async () => {
    await connector.close();
  });
  beforeEach(async () => {
    connector.reset();
    clock = new ManualClock(new Date("2026-11-27T14:00:00Z"));
    services = new FakeServices(clock, [spikeFinding(), authFinding(), expiringFinding()]);
    endpoint = createBotEndpoint(LOCAL, services, await freshStores(), memoryLogger(), { clock });
  });

  /** Sends a message and returns what the bot answered in the conversation. */
  async function say(text: string): Promise<Record<string, unknown>[]> {
    const before = connector.calls.length;
    const res = await endpoint.handle({ headers: {}, body: messageActivity(connector.serviceUrl, text) });
    expect(res.status).toBe(200);
    return connector.calls.slice(before).filter((c) => c.method === "POST").map((c) => c.activity);
  }

  it("answers help with every command, with or without the mention", async () => {
    for (const text of ["help", "<at>apimbot</at> help", "<at>apimbot</at>&nbsp;HELP "]) {
      const [reply] = await say(text);
      for (const usage of ["diagnose <api> [in <instance>]", "status", "expiring [days]", "report", "ack <alert-id>", "snooze <alert-id> <duration>", "silence <instance|api> <duration> [reason]", "silences"]) {
        expect(String(reply?.text)).toContain(usage);
      }
    }
  });

  it("diagnose answers with a card naming the layer and the cause", async () => {
    const [reply] = await say("<at>apimbot</at> Diagnose payments-api in pay-apim-prod");
    expect(services.calls).toContain("diagnose payments-api in pay-apim-prod");
    const text = cardText(cardOf(reply!));
    expect(text).toContain("Layer at fault: Gateway");
    expect(text).toContain("BackendConnectionFailure");
  });

  it("diagnose of an unknown API lists the closest names", async () => {
    const [reply] = await say("diagnose payment");
    expect(String(reply?.text)).toContain("Closest: payments-api");
  });

  it("never passes a malformed API or instance name on", async () => {
    for (const bad of ["diagnose ../../subscriptions", "diagnose orders-api in pay/apim", "diagnose x'||1==1", "diagnose %2e%2e"]) {
      const [reply] = await say(bad);
      expect(String(reply?.text)).toMatch(/is not a valid (API|instance) name/);
    }
    expect(services.calls.filter((c) => c.startsWith("diagnose"))).toEqual([]);
  });

  it("status, expiring (default 30 days) and report", async () => {
    const [status] = await say("STATUS");
    expect(cardText(cardOf(status!))).toContain("3 open alerts");
    const [expiring] = await say("expiring");
    expect(services.calls).toContain("expiring 30");
    expect(String(expiring?.text)).toContain(expiringFinding().title);
    await say("expiring 7");
    expect(services.calls).toContain("expiring 7");
    const [report] = await say("report");
    expect(cardText(cardOf(report!))).toContain("Hygiene: 4 problems");
  });

  it("ack and snooze take an id prefix and update posted cards in place", async () => {
    await endpoint.handle({ headers: {}, body: installActivity(connector.serviceUrl) });
    const { posted } = await endpoint.delivery.deliver([expiringFinding()]);
    const [ack] = await say(`ack ${expiringFinding().id.slice(0, 6)}`);
    expect(String(ack?.text)).toContain(`Acknowledged ${expiringFinding().id}`);
    expect(connector.updates(CHANNEL).map((c) => c.activityId)).toEqual([posted[0]!.activityId]);
    const [snooze] = await say(`snooze ${expiringFinding().id.slice(0, 8)} 1d`);
    expect(String(snooze?.text)).toContain("Snoozed for 1d");
    expect(services.byId.get(expiringFinding().id)?.snoozedUntil).toBe("2026-11-28T14:00:00.000Z");
    const [tooShort] = await say("ack abc");
    expect(String(tooShort?.text)).toContain("at least the first 6 characters");
    const [badDuration] = await say(`snooze ${expiringFinding().id} soon`);
    expect(String(badDuration?.text)).toContain("not a duration");
  });

  it("silence and silences", async () => {
    const [silenced] = await say("silence pay-apim-prod 2h patching the gateway");
    expect(String(silenced?.text)).toContain("Silenced pay-apim-prod until 16:00 UTC");
    const [list] = await say("silences");
    expect(String(list?.text)).toContain("pay-apim-prod until 16:00 UTC on 27 Nov 2026 by Ada Lovelace: patching the gateway");
  });

  it("anything else gets help with a did-you-mean", async () => {
    const [typo] = await say("daignose payments-api");
    expect(String(typo?.text)).toContain("Did you mean **diagnose <api> [in <instance>]**?");
    const [usage] = await say("snooze");
    expect(String(usage?.text)).toContain("Usage: snooze <alert-id> <duration>");
    const [other] = await say("what is the weather");
    expect(String(other?.text)).toContain("I understand:");
  });

  it("the Diagnose button posts the diagnosis and keeps the card", async () => {
    await endpoint.handle({ headers: {}, body: installActivity(connector.serviceUrl) });
    const { posted } = await endpoint.delivery.deliver([spikeFinding()]);
    const res = await endpoint.handle({ headers: {}, body: invokeActivity(connector.serviceUrl, "diagnose", { id: spikeFinding().id, api: "payments-api", instance: "pay-apim-prod" }, posted[0]!.activityId) });
    expect((res.body as { type: string }).type).toBe("application/vnd.microsoft.card.adaptive");
    const diagnosis = connector.posts(CHANNEL).map((c) => cardText(cardOf(c.activity))).find((t) => t.includes("Layer at fault"));
    expect(diagnosis).toContain("payments-api on pay-apim-prod");
  });
});

describe("who may talk to the bot", () => {
  let connector: ConnectorStandin;
  beforeAll(async () => {
    connector = await startConnectorStandin();
  });
  afterAll(async () => {
    await connector.close();
  });

  const production = { devAnonymousBot: false, allowedTenants: [], actionUsers: [], routes: [] };
  const authConfig = { clientId: "3d6f8a1b-5c2e-4f7a-9b0d-1e2f3a4b5c6d", tenantId: TENANT };

  it("refuses activities without a valid Bot Service token outside local mode", async () => {
    const services = new FakeServices(new ManualClock(new Date("2026-11-27T14:00:00Z")));
    const stores = await freshStores();
    const log = memoryLogger();
    const endpoint = createBotEndpoint(production, services, stores, log, { authConfig });
    const body = installActivity(connector.serviceUrl);

    expect((await endpoint.handle({ headers: {}, body })).status).toBe(401);
    expect((await endpoint.handle({ headers: { Authorization: "Bearer not-a-jwt" }, body })).status).toBe(401);
    // A well-formed but unsigned token for some other app.
    const forged = [{ alg: "none", typ: "JWT" }, { aud: "someone-else", iss: "https://api.botframework.com", exp: 4102444800 }]
      .map((p) => Buffer.from(JSON.stringify(p)).toString("base64url"))
      .join(".") + ".";
    expect((await endpoint.handle({ headers: { authorization: `Bearer ${forged}` }, body })).status).toBe(401);

    expect(await stores.installations.list()).toEqual([]);
    expect(connector.calls).toEqual([]);
    expect(JSON.stringify(log.lines)).not.toContain(forged);
  });

  it("refuses tenants outside the allow-list, even in local mode", async () => {
    const services = new FakeServices(new ManualClock(new Date("2026-11-27T14:00:00Z")));
    const stores = await freshStores();
    const endpoint = createBotEndpoint({ ...LOCAL, allowedTenants: ["11111111-2222-3333-4444-555555555555"] }, services, stores, memoryLogger());
    const res = await endpoint.handle({ headers: {}, body: installActivity(connector.serviceUrl) });
    expect(res.status).toBe(403);
    expect(await stores.installations.list()).toEqual([]);
  });
});
