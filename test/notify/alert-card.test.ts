import { describe, expect, it } from "vitest";
import { alertCard, groupCard } from "../../src/notify/alert-card";
import { cardBytes, CARD_BYTE_LIMIT } from "../../src/notify/card-types";
import { authFinding, expiringFinding, spikeFinding } from "./findings-fixture";
import { cardProblems, walk } from "./card-validation";

const text = (card: unknown) => walk(card).filter((e) => e.type === "TextBlock").map((e) => String(e.text)).join("\n");

describe("alert card for one finding", () => {
  const card = alertCard(spikeFinding());

  it("matches the reviewed layout", () => {
    expect(card).toMatchSnapshot();
  });

  it("is valid Adaptive Card 1.5 JSON for the adaptivecards parser", () => {
    expect(card.version).toBe("1.5");
    expect(cardProblems(card)).toEqual([]);
  });

  it("says the severity in words in a coloured header, then the title", () => {
    const header = card.body[0] as { style: string; items: { text: string; color?: string }[] };
    expect(header.style).toBe("attention");
    expect(header.items[0]?.text).toMatch(/^CRITICAL/);
    expect(header.items[0]?.color).toBe("attention");
    expect(header.items[1]?.text).toBe("5xx spike on payments-api (pay-apim-prod): 35% of 3,612 requests, baseline 0.5%");
  });

  it("gives the key facts, the numbered steps and the portal link", () => {
    const facts = walk(card).filter((e) => e.type === "FactSet").flatMap((e) => e.facts as { title: string; value: string }[]);
    expect(facts).toEqual(expect.arrayContaining([
      { title: "Instance", value: "pay-apim-prod" },
      { title: "API", value: "payments-api" },
      { title: "Cause", value: "BackendConnectionFailure" },
      { title: "Requests", value: "3,612" },
    ]));
    expect(text(card)).toMatch(/^1\. Check that payments-backend/m);
    expect(text(card)).toMatch(/^3\. If the backend moved/m);
    expect(card.actions).toContainEqual({ type: "Action.OpenUrl", title: "Open in Azure portal", url: spikeFinding().portalUrl });
  });

  it("draws the trend with Chart.Line and a text fallback for clients without charts", () => {
    const charts = walk(card).filter((e) => e.type === "Chart.Line");
    expect(charts).toHaveLength(1);
    const chart = charts[0] as { data: { values: { x: string; y: number }[] }[]; fallback: { type: string; text: string } };
    expect(chart.data[0]?.values).toHaveLength(10);
    expect(chart.data[0]?.values[7]).toEqual({ x: "13:52", y: 35.1 });
    expect(chart.fallback.type).toBe("TextBlock");
    expect(chart.fallback.text).toContain("peak 35.2");
  });

  it("every element only Teams knows carries a fallback", () => {
    const teamsOnly = walk(card).filter((e) => typeof e.type === "string" && /^Chart\./.test(e.type as string));
    expect(teamsOnly.length).toBeGreaterThan(0);
    for (const e of teamsOnly) expect(e.fallback).toBeDefined();
  });

  it("offers Acknowledge, Snooze (1 h, 4 h, 1 day) and Diagnose as Action.Execute with an Action.Submit fallback", () => {
    const executes = walk(card.actions).filter((e) => e.type === "Action.Execute") as { verb: string; data: Record<string, unknown>; fallback: { type: string; data: Record<string, unknown> } }[];
    expect(executes.map((e) => e.verb).sort()).toEqual(["ack", "diagnose", "snooze"]);
    for (const e of executes) {
      expect(e.fallback.type).toBe("Action.Submit");
      expect(e.fallback.data).toEqual({ ...e.data, verb: e.verb });
    }
    const diagnose = executes.find((e) => e.verb === "diagnose");
    expect(diagnose?.data).toEqual({ id: spikeFinding().id, api: "payments-api", instance: "pay-apim-prod" });
    const choices = walk(card).find((e) => e.type === "Input.ChoiceSet") as { choices: { value: string }[] };
    expect(choices.choices.map((c) => c.value)).toEqual(["1h", "4h", "1d"]);
    expect(card.refresh).toMatchObject({ action: { type: "Action.Execute", verb: "refresh", data: { id: spikeFinding().id } } });
  });

  it("says who acknowledged it and when, and drops the Acknowledge button", () => {
    const acked = alertCard(spikeFinding({ status: "acknowledged", acknowledgedBy: "Ada Lovelace", acknowledgedAt: "2026-11-27T14:02:00Z" }));
    expect(text(acked)).toContain("Acknowledged by Ada Lovelace at 14:02 UTC on 27 Nov 2026.");
    expect(walk(acked).some((e) => e.type === "Action.Execute" && e.verb === "ack")).toBe(false);
    expect(cardProblems(acked)).toEqual([]);
  });

  it("shows a snooze's end", () => {
    const snoozed = alertCard(spikeFinding({ status: "snoozed", snoozedUntil: "2026-11-27T18:00:00Z" }));
    expect(text(snoozed)).toContain("Snoozed until 18:00 UTC on 27 Nov 2026.");
  });

  it("turns green and loses its buttons once resolved", () => {
    const resolved = alertCard(spikeFinding({ status: "resolved", change: "resolved", resolvedAt: "2026-11-27T14:35:00Z" }));
    expect((resolved.body[0] as { style: string }).style).toBe("good");
    expect(text(resolved)).toContain("Resolved at 14:35 UTC on 27 Nov 2026.");
    expect(walk(resolved.actions).filter((e) => e.type === "Action.Execute" || e.type === "Action.ShowCard")).toEqual([]);
    expect(resolved.actions).toContainEqual(expect.objectContaining({ type: "Action.OpenUrl" }));
  });
});

describe("evidence lists", () => {
  it("shows the backend codes a spike counted (a field named value is a fact, not a secret)", () => {
    const f = spikeFinding();
    const card = alertCard({ ...f, evidence: { ...f.evidence, topBackendCodes: [{ value: "503", count: 17 }, { value: "502", count: 4 }] } });
    const text = JSON.stringify(card);
    expect(text).toContain("503");
    expect(text).not.toMatch(/value=\[redacted\]/i);
  });
});

describe("grouped card", () => {
  it("puts several findings on one instance into one card, worst first", () => {
    const [spike, auth] = [spikeFinding(), authFinding()];
    const card = groupCard([auth, spike], "gkey0123456789ab");
    expect(cardProblems(card)).toEqual([]);
    const all = text(card);
    expect(all).toContain("2 open problems on pay-apim-prod");
    expect(all.indexOf(spike.title)).toBeLessThan(all.indexOf(auth.title));
    const ack = walk(card).find((e) => e.type === "Action.Execute" && e.verb === "ack") as { data: { id: string; ids: string[] } };
    expect(ack.data).toEqual({ id: "gkey0123456789ab", ids: [spike.id, auth.id] });
    expect(walk(card.actions).some((e) => e.type === "Action.Execute" && e.verb === "diagnose")).toBe(true);
  });

  it("stays under 28 KB with 300 findings and says how many were left out", () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      expiringFinding({ id: `exp${String(i).padStart(13, "0")}`, title: `Subscription partner-${i} on partner-apim expires in ${i % 30} days with a long explanation ${"x".repeat(200)}` }),
    );
    const card = groupCard(many, "gbig000000000000");
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTE_LIMIT);
    expect(text(card)).toMatch(/and 2\d\d more/);
    expect(cardProblems(card)).toEqual([]);
  });

  it("cuts long evidence on a single card to fit", () => {
    const records = Array.from({ length: 2000 }, (_, i) => ({ requestId: `req-${i}`, status: 502, reason: "BackendConnectionFailure", url: `https://pay.contoso.com/payments/${i}` }));
    const card = alertCard(spikeFinding({ evidence: { ...spikeFinding().evidence, records }, remediation: Array.from({ length: 40 }, (_, i) => `Step ${i + 1}: ${"check things ".repeat(30)}`) }));
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTE_LIMIT);
    expect(JSON.stringify(card)).toContain("and 1995 more");
    expect(text(card)).toContain("and 30 more");
  });
});

describe("secrets never reach a card", () => {
  const jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJhcGk6Ly9vcmRlcnMiLCJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2Nzg5MA";
  const apimKey = "3f9a2c7d5e1b4a6f8c0d2e4f6a8b0c1d";
  const storageKey = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG9mcmVkcGx1Z2h4eXp6eTEyMzQ1Njc4OTA=";
  const sas = "sv=2022-11-02&ss=t&srt=sco&sp=rl&se=2026-12-01&sig=AbCdEf0123456789%2BxYz%3D";

  it("scrubs tokens, bearer headers, SAS signatures and long keys from every part of the card", () => {
    const leaky = spikeFinding({
      summary: `Requests carried Authorization: Bearer ${jwt} and the header Ocp-Apim-Subscription-Key: ${apimKey}.`,
      evidence: {
        sampleHeader: `Bearer ${jwt}`,
        backendUrl: `https://stpay.table.core.windows.net/?${sas}`,
        connection: `DefaultEndpointsProtocol=https;AccountName=stpay;AccountKey=${storageKey};EndpointSuffix=core.windows.net`,
        primaryKey: apimKey,
        note: `key rotated to ${apimKey}`,
      },
      remediation: [`Rotate the key ${apimKey} and the token ${jwt}.`],
    });
    for (const card of [alertCard(leaky), groupCard([leaky, authFinding()], "gsecret000000000")]) {
      const json = JSON.stringify(card);
      for (const secret of [jwt, apimKey, storageKey, "AbCdEf0123456789", jwt.split(".")[1] as string]) expect(json).not.toContain(secret);
      expect(json).toContain("[redacted]");
      // Identifiers people need stay readable.
      expect(json).toContain("pay-apim-prod");
      expect(json).toContain("/subscriptions/4f0e6b8e-2a51-4c7e-9d8e-1a2b3c4d5e6f/resourceGroups/rg-payments-prod");
    }
  });
});
