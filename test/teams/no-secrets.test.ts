import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/domain/clock";
import { memoryLogger } from "../../src/domain/logger";
import { createBotEndpoint } from "../../src/teams/endpoint";
import { startConnectorStandin, type ConnectorStandin } from "../support/connector-standin";
import { spikeFinding } from "../notify/findings-fixture";
import { FakeServices, freshStores, installActivity, invokeActivity, messageActivity } from "./harness";

const JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJhdWQiOiJhcGk6Ly9wYXltZW50cyIsInRpZCI6Ijcy In0.QmFkU2lnbmF0dXJlQnl0ZXNGb3JUZXN0aW5nT25seQ".replace(" ", "");
const SUBSCRIPTION_KEY = "9c1e4b7a2d5f8e0b3c6a9d2f5e8b1c4a";
const NAMED_VALUE = "p@ssw0rd-backend-basic-auth";

describe("no key, token or secret reaches Teams or the logs", () => {
  let connector: ConnectorStandin;
  beforeAll(async () => {
    connector = await startConnectorStandin();
  });
  afterAll(async () => {
    await connector.close();
  });

  it("holds for posted cards, updated cards, invoke answers, chat replies and log lines", async () => {
    const clock = new ManualClock(new Date("2026-11-27T14:00:00Z"));
    const leaky = spikeFinding({
      summary: `Clients sent Authorization: Bearer ${JWT} with Ocp-Apim-Subscription-Key: ${SUBSCRIPTION_KEY}.`,
      evidence: { requestHeaders: { authorization: `Bearer ${JWT}` }, secret: NAMED_VALUE, sampleUrl: `https://pay.contoso.com/pay?subscription-key=${SUBSCRIPTION_KEY}` },
    });
    const services = new FakeServices(clock, [leaky]);
    const log = memoryLogger();
    const endpoint = createBotEndpoint({ devAnonymousBot: true, allowedTenants: [], actionUsers: [], routes: [] }, services, await freshStores(), log, { clock });

    await endpoint.handle({ headers: {}, body: installActivity(connector.serviceUrl) });
    const { posted } = await endpoint.delivery.deliver([leaky]);
    const invoke = await endpoint.handle({ headers: {}, body: invokeActivity(connector.serviceUrl, "ack", { id: leaky.id }, posted[0]!.activityId) });
    await endpoint.handle({ headers: {}, body: messageActivity(connector.serviceUrl, `diagnose ${JWT}`) });
    await endpoint.handle({ headers: {}, body: messageActivity(connector.serviceUrl, `silence pay-apim-prod 1h key is ${SUBSCRIPTION_KEY}`) });
    await endpoint.handle({ headers: {}, body: messageActivity(connector.serviceUrl, "diagnose payments-api") });

    const everything = JSON.stringify({ calls: connector.calls, invoke, log: log.lines });
    expect(connector.calls.length).toBeGreaterThanOrEqual(5);
    for (const secret of [JWT, SUBSCRIPTION_KEY, NAMED_VALUE, JWT.split(".")[0] as string]) expect(everything).not.toContain(secret);
  });
});
