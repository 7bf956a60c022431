import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/domain/clock";
import { memoryLogger } from "../../src/domain/logger";
import { createBotEndpoint, type BotEndpoint } from "../../src/teams/endpoint";
import { startConnectorStandin, type ConnectorStandin } from "../support/connector-standin";
import { authFinding, expiringFinding, spikeFinding } from "../notify/findings-fixture";
import {
  ADA,
  botAddedActivity,
  botRemovedActivity,
  CHANNEL,
  cardOf,
  cardText,
  FakeServices,
  freshStores,
  GROUP_CHAT,
  installActivity,
  invokeActivity,
  reopenStores,
  submitActivity,
} from "./harness";

const LOCAL = { devAnonymousBot: true, allowedTenants: [], actionUsers: [], routes: [] };
const noWait = { sleep: async () => {}, baseDelayMs: 1 };

describe("alerts in Teams, through the real SDK adapter and a loopback connector", () => {
  let connector: ConnectorStandin;
  let clock: ManualClock;
  let services: FakeServices;
  let log: ReturnType<typeof memoryLogger>;
  let endpoint: BotEndpoint;
  let tables: [string, string];
  const sleeps: number[] = [];

  beforeAll(async () => {
    connector = await startConnectorStandin();
  });
  afterAll(async () => {
    await connector.close();
  });

  beforeEach(async () => {
    connector.reset();
    sleeps.length = 0;
    clock = new ManualClock(new Date("2026-11-27T14:00:00Z"));
    services = new FakeServices(clock, [spikeFinding(), authFinding(), expiringFinding()]);
    log = memoryLogger();
    const stores = await freshStores();
    tables = stores.names;
    endpoint = createBotEndpoint(LOCAL, services, stores, log, { clock, retry: { ...noWait, sleep: async (ms) => void sleeps.push(ms) } });
  });

  async function install(): Promise<void> {
    const res = await endpoint.handle({ headers: {}, body: installActivity(connector.serviceUrl) });
    expect(res.status).toBe(200);
    connector.reset();
  }

  it("posts one card per instance after install: grouped where problems share an instance", async () => {
    await install();
    const report = await endpoint.delivery.deliver([...services.byId.values()]);
    expect(report.posted).toHaveLength(2);
    expect(report.pending).toEqual([]);
    const shown = connector.shown(CHANNEL);
    expect(shown).toHaveLength(2);
    const texts = shown.map((s) => cardText(cardOf(s.activity)));
    expect(texts.some((t) => t.includes("2 open problems on pay-apim-prod") && t.includes(spikeFinding().title) && t.includes(authFinding().title))).toBe(true);
    expect(texts.some((t) => t.includes(expiringFinding().title))).toBe(true);
    // Proactive posts start new messages: no reply-to id in the path.
    expect(connector.posts(CHANNEL).every((c) => c.activityId === undefined)).toBe(true);
  });

  it("posts nothing new on a second sweep, even after a restart with new store objects", async () => {
    await install();
    await endpoint.delivery.deliver([...services.byId.values()]);
    const again = await endpoint.delivery.deliver([...services.byId.values()].map((f) => ({ ...f, change: "ongoing" as const })));
    expect(again.posted).toEqual([]);
    expect(again.unchanged).toBe(2);

    const restarted = createBotEndpoint(LOCAL, services, await reopenStores(tables), log, { clock, retry: noWait });
    const afterRestart = await restarted.delivery.deliver([...services.byId.values()].map((f) => ({ ...f, change: "ongoing" as const })));
    expect(afterRestart.posted).toEqual([]);
    expect(connector.posts(CHANNEL)).toHaveLength(2);
  });

  it("acknowledging with Action.Execute answers with the refreshed card and updates the same activity for everyone", async () => {
    services.byId.delete(authFinding().id);
    await install();
    const { posted } = await endpoint.delivery.deliver([...services.byId.values()]);
    const spikeCard = posted.find((p) => p.cardKey === spikeFinding().id);
    expect(spikeCard).toBeDefined();
    clock.set(new Date("2026-11-27T14:02:00Z"));

    // In a channel, the click arrives in the card's thread: the conversation id carries ;messageid=.
    const thread = `${CHANNEL};messageid=${spikeCard!.activityId}`;
    const res = await endpoint.handle({ headers: {}, body: invokeActivity(connector.serviceUrl, "ack", { id: spikeFinding().id }, spikeCard!.activityId, thread) });
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; type: string; value: unknown };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText(body.value)).toContain("Acknowledged by Ada Lovelace at 14:02 UTC");

    const puts = connector.updates(CHANNEL);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.activityId).toBe(spikeCard!.activityId);
    const now = connector.shown(CHANNEL).find((s) => s.id === spikeCard!.activityId);
    expect(now?.versions).toBe(2);
    expect(cardText(cardOf(now!.activity))).toContain("Acknowledged by Ada Lovelace at 14:02 UTC");
    // No second message was posted for the acknowledgement.
    expect(connector.posts(CHANNEL)).toHaveLength(2);
  });

  it("the Action.Submit fallback acknowledges too, and the card is updated in place", async () => {
    services.byId.delete(authFinding().id);
    await install();
    const { posted } = await endpoint.delivery.deliver([...services.byId.values()]);
    const spikeCard = posted.find((p) => p.cardKey === spikeFinding().id)!;
    const res = await endpoint.handle({ headers: {}, body: submitActivity(connector.serviceUrl, { id: spikeFinding().id, verb: "snooze", duration: "4h" }, spikeCard.activityId) });
    expect(res.status).toBe(200);
    const shown = connector.shown(CHANNEL).find((s) => s.id === spikeCard.activityId);
    expect(cardText(cardOf(shown!.activity))).toContain("Snoozed until 18:00 UTC");
    const replies = connector.posts(CHANNEL).filter((c) => c.activityId !== undefined).map((c) => String(c.activity.text));
    expect(replies).toEqual(["Snoozed for 4h by Ada Lovelace."]);
  });

  it("a resolved incident updates its card to say so", async () => {
    services.byId.delete(authFinding().id);
    await install();
    const { posted } = await endpoint.delivery.deliver([...services.byId.values()]);
    const spikeCard = posted.find((p) => p.cardKey === spikeFinding().id)!;
    const resolved = { ...spikeFinding(), status: "resolved" as const, change: "resolved" as const, resolvedAt: "2026-11-27T14:35:00Z" };
    const report = await endpoint.delivery.deliver([resolved, expiringFinding({ change: "ongoing" })]);
    expect(report.updated.map((u) => u.activityId)).toEqual([spikeCard.activityId]);
    expect(report.posted).toEqual([]);
    const shown = connector.shown(CHANNEL).find((s) => s.id === spikeCard.activityId);
    expect(cardText(cardOf(shown!.activity))).toContain("Resolved at 14:35 UTC");
  });

  it("delivers exactly once when the connector answers 429 with Retry-After, then 200", async () => {
    await install();
    connector.failNext(1, 429, 2);
    const report = await endpoint.delivery.deliver([expiringFinding()]);
    expect(report.posted).toHaveLength(1);
    expect(sleeps).toEqual([2000]);
    expect(connector.calls.filter((c) => c.method === "POST").map((c) => c.status)).toEqual([429, 201]);
    expect(connector.shown(CHANNEL)).toHaveLength(1);
  });

  it("keeps a card pending when the connector keeps failing, and posts it on the next sweep", async () => {
    await install();
    connector.failNext(4, 500);
    const first = await endpoint.delivery.deliver([expiringFinding()]);
    expect(first.posted).toEqual([]);
    expect(first.pending).toMatchObject([{ conversationId: CHANNEL, cardKey: expiringFinding().id }]);
    expect(connector.shown(CHANNEL)).toHaveLength(0);
    const second = await endpoint.delivery.deliver([expiringFinding({ change: "ongoing" })]);
    expect(second.posted).toHaveLength(1);
    expect(connector.shown(CHANNEL)).toHaveLength(1);
  });

  it("retries a failed in-place update on the next sweep instead of posting again", async () => {
    await install();
    const { posted } = await endpoint.delivery.deliver([expiringFinding()]);
    connector.failNext(4, 503);
    const acked = expiringFinding({ status: "acknowledged", acknowledgedBy: "Grace Hopper", acknowledgedAt: "2026-11-27T14:10:00Z", change: "ongoing" });
    const failed = await endpoint.delivery.deliver([acked]);
    expect(failed.updated).toEqual([]);
    expect(connector.updates(CHANNEL)).toEqual([]);
    const retried = await endpoint.delivery.deliver([acked]);
    expect(retried.updated.map((u) => u.activityId)).toEqual([posted[0]!.activityId]);
    expect(cardText(cardOf(connector.shown(CHANNEL)[0]!.activity))).toContain("Acknowledged by Grace Hopper at 14:10 UTC");
    expect(connector.posts(CHANNEL)).toHaveLength(1);
  });

  it("does not wait out a Retry-After longer than the sweep allows: the card stays pending", async () => {
    await install();
    connector.failNext(1, 429, 600);
    const report = await endpoint.delivery.deliver([expiringFinding()]);
    expect(report.pending).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("an escalation by age updates the card with triage's note even though the state is the same", async () => {
    await install();
    const { posted } = await endpoint.delivery.deliver([expiringFinding()]);
    const escalated = expiringFinding({ change: "escalated" });
    const quiet = await endpoint.delivery.deliver([escalated]);
    expect(quiet.updated).toEqual([]);
    const report = await endpoint.delivery.deliver([escalated], [{ finding: escalated, reason: "escalated", note: "firing unacknowledged for 4h 10m" }]);
    expect(report.updated.map((u) => u.activityId)).toEqual([posted[0]!.activityId]);
    expect(cardText(cardOf(connector.shown(CHANNEL)[0]!.activity))).toContain("Firing unacknowledged for 4h 10m.");
    expect(connector.posts(CHANNEL)).toHaveLength(1);
  });

  it("holds back a silenced finding's card and posts it once the silence ends", async () => {
    await install();
    const during = await endpoint.delivery.deliver([expiringFinding({ status: "silenced", snoozedUntil: "2026-11-27T16:00:00Z" })]);
    expect(during.posted).toEqual([]);
    expect(connector.shown(CHANNEL)).toEqual([]);
    const after = await endpoint.delivery.deliver([expiringFinding({ status: "firing", change: "ongoing" })]);
    expect(after.posted).toHaveLength(1);
    expect(cardText(cardOf(connector.shown(CHANNEL)[0]!.activity))).toContain(expiringFinding().title);
  });

  it("records group chats and personal chats, and forgets a conversation when the bot is removed", async () => {
    await endpoint.handle({ headers: {}, body: botAddedActivity(connector.serviceUrl, GROUP_CHAT, "groupChat") });
    await endpoint.handle({ headers: {}, body: botAddedActivity(connector.serviceUrl, "a:1personal-ada", "personal") });
    // Teams sends both kinds of install activity for one install; only one welcome is posted.
    await endpoint.handle({ headers: {}, body: installActivity(connector.serviceUrl, GROUP_CHAT, "groupChat") });
    expect(connector.posts(GROUP_CHAT)).toHaveLength(1);
    const report = await endpoint.delivery.deliver([expiringFinding()]);
    expect(report.posted.map((p) => p.conversationId).sort()).toEqual([GROUP_CHAT, "a:1personal-ada"].sort());

    await endpoint.handle({ headers: {}, body: botRemovedActivity(connector.serviceUrl, GROUP_CHAT, "groupChat") });
    connector.reset();
    const next = await endpoint.delivery.deliver([authFinding()]);
    expect(next.posted.map((p) => p.conversationId)).toEqual(["a:1personal-ada"]);
  });

  it("routes findings by instance when rules say so", async () => {
    const routed = createBotEndpoint({ ...LOCAL, routes: [{ conversations: [GROUP_CHAT], instances: ["partner-apim"] }, { conversations: [CHANNEL], minSeverity: "critical" }] }, services, await freshStores(), log, { clock, retry: noWait });
    await routed.handle({ headers: {}, body: installActivity(connector.serviceUrl) });
    await routed.handle({ headers: {}, body: botAddedActivity(connector.serviceUrl, GROUP_CHAT, "groupChat") });
    connector.reset();
    await routed.delivery.deliver([spikeFinding(), authFinding(), expiringFinding()]);
    expect(connector.shown(CHANNEL).map((s) => cardText(cardOf(s.activity)))).toEqual([expect.stringContaining(spikeFinding().title)]);
    expect(connector.shown(GROUP_CHAT).map((s) => cardText(cardOf(s.activity)))).toEqual([expect.stringContaining(expiringFinding().title)]);
  });

  it("refuses card actions from people not in the action list, without changing anything", async () => {
    const strict = createBotEndpoint({ ...LOCAL, actionUsers: ["7b2e1d4f-0c8e-4f3b-9d6a-1e2f3a4b5c6d"] }, services, await freshStores(), log, { clock, retry: noWait });
    await strict.handle({ headers: {}, body: installActivity(connector.serviceUrl) });
    const { posted } = await strict.delivery.deliver([expiringFinding()]);
    const res = await strict.handle({ headers: {}, body: invokeActivity(connector.serviceUrl, "ack", { id: expiringFinding().id }, posted[0]!.activityId, CHANNEL, ADA) });
    expect((res.body as { type: string }).type).toBe("application/vnd.microsoft.activity.message");
    expect(String((res.body as { value: unknown }).value)).toContain("APIMBOT_ACTION_USERS");
    expect(services.byId.get(expiringFinding().id)?.status).toBe("firing");
    expect(connector.updates()).toEqual([]);
  });
});
