import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app/create-app";
import type { Runtime } from "../../src/app/runtime";
import { demoRuntime, freshTablePrefix } from "../support/demo";
import { memoryLogger } from "../../src/domain/logger";
import type { BotEndpoint } from "../../src/teams/endpoint";
import { startConnectorStandin, type ConnectorStandin } from "../support/connector-standin";
import { CHANNEL, cardOf, cardText, installActivity, invokeActivity, messageActivity } from "../teams/harness";

/**
 * The whole product on the demo estate: the real sweep, the real Agents SDK adapter, and a loopback Bot
 * Connector stand-in in place of Teams.
 */
describe("apimbot in a Teams channel, on the demo estate", () => {
  let runtime: Runtime;
  let app: App;
  let endpoint: BotEndpoint;
  let connector: ConnectorStandin;
  const log = memoryLogger();

  beforeAll(async () => {
    connector = await startConnectorStandin();
    runtime = await demoRuntime({ APIMBOT_DEV_ANONYMOUS_BOT: "1" }, log);
    app = await createApp(runtime, { tablePrefix: freshTablePrefix(), connectorRetry: { sleep: async () => {}, baseDelayMs: 1 } });
    endpoint = await app.endpoint();
    const res = await endpoint.handle({ headers: {}, body: installActivity(connector.serviceUrl) });
    expect(res.status).toBe(200);
    connector.reset();
  });

  afterAll(async () => {
    await runtime?.close();
    await connector?.close();
  });

  it("posts one card per instance, carrying every planted problem, and nothing more on the next sweep", async () => {
    const outcome = await app.sweep({ post: true });
    const open = outcome.findings.filter((f) => f.status === "firing");
    const cards = connector.shown(CHANNEL);
    expect(cards).toHaveLength(new Set(open.map((f) => f.instance)).size);
    const text = cards.map((c) => cardText(cardOf(c.activity))).join("\n");
    for (const f of open) expect(text, f.title).toContain(f.title);

    const postsBefore = connector.posts().length;
    const again = await app.sweep({ post: true });
    expect(again.delivery?.posted).toEqual([]);
    expect(connector.posts()).toHaveLength(postsBefore);
  });

  it("acknowledging from the card updates that card in place for everyone", async () => {
    const spike = (await app.deps.alerts.listOpen(runtime.clock.now())).find((f) => f.kind === "gateway-5xx-spike");
    expect(spike).toBeDefined();
    const record = (await app.deps.deliveries.findShowing([spike!.id]))[0];
    expect(record?.activityId).toBeDefined();
    const res = await endpoint.handle({ headers: {}, body: invokeActivity(connector.serviceUrl, "ack", { id: spike!.id }, record!.activityId!) });
    expect(res.status).toBe(200);
    const put = connector.updates(CHANNEL).find((u) => u.activityId === record!.activityId);
    expect(put, "a PUT to the same activity").toBeDefined();
    expect(cardText(cardOf(put!.activity))).toMatch(/Acknowledged by Ada Lovelace/);
  });

  it("answers diagnose for the 5xx API and the auth-burst API with their causes", async () => {
    const before = connector.posts(CHANNEL).length;
    await endpoint.handle({ headers: {}, body: messageActivity(connector.serviceUrl, "<at>apimbot</at> diagnose orders-api") });
    await endpoint.handle({ headers: {}, body: messageActivity(connector.serviceUrl, "diagnose payments-api in apim-contoso-prod-weu") });
    const replies = connector.posts(CHANNEL).slice(before).map((p) => cardText(cardOf(p.activity)) || String(p.activity.text ?? ""));
    expect(replies.find((t) => t.includes("orders-api"))).toMatch(/BackendConnectionFailure/);
    expect(replies.find((t) => t.includes("payments-api"))).toMatch(/TokenAudienceNotAllowed/);
  });

  it("updates the spike's card when the incident resolves", async () => {
    const postsBefore = connector.posts(CHANNEL).length;
    const updatesBefore = connector.updates(CHANNEL).length;
    runtime.emulator?.clock.advance(90 * 60_000);
    const outcome = await app.sweep({ post: true });
    const spike = outcome.findings.find((f) => f.kind === "gateway-5xx-spike" && f.api === "orders-api");
    expect(spike?.change).toBe("resolved");
    const record = (await app.deps.deliveries.findShowing([spike!.id]))[0];
    const put = connector.updates(CHANNEL).slice(updatesBefore).find((u) => u.activityId === record?.activityId);
    expect(put, "the card showing the spike was updated").toBeDefined();
    expect(cardText(cardOf(put!.activity))).toMatch(/[Rr]esolved/);
    expect(connector.posts(CHANNEL)).toHaveLength(postsBefore);
  });

  it("posts the weekly report's summary card once per conversation and week, within the size Teams accepts", async () => {
    const before = connector.posts(CHANNEL).length;
    connector.failNext(1, 429, 0);
    const first = await app.report({ post: true, save: true });
    expect(first.posted).toEqual([CHANNEL]);
    const cards = connector.posts(CHANNEL).slice(before);
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cardOf(cards[0]!.activity)).length).toBeLessThan(28 * 1024);
    expect(cardText(cardOf(cards[0]!.activity))).toMatch(/Weekly APIM hygiene report[\s\S]*Fix these first[\s\S]*APIM.Backend.TlsValidationOff/);
    const again = await app.report({ post: true, save: true });
    expect(again.posted).toEqual([]);
    expect(connector.posts(CHANNEL).slice(before)).toHaveLength(1);
  });
});
