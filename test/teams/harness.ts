/** Shared pieces for the Teams edge tests: fake use cases, Teams-shaped activities and fresh stores. */
import { inject } from "vitest";
import { ManualClock } from "../../src/domain/clock";
import type { Finding } from "../../src/domain/finding";
import { DeliveryStore } from "../../src/store/delivery-store";
import { InstallationStore } from "../../src/store/installation-store";
import type { BotServices, BotUser, Diagnosis, ServiceError, Silence, StatusView } from "../../src/teams/bot-services";

export const BOT = { id: "28:0b5e2f9c-apimbot", name: "apimbot" };
export const ADA = { id: "29:1ada-lovelace", name: "Ada Lovelace", aadObjectId: "6a1f0c3e-9b7d-4e2a-8c5f-0d1e2f3a4b5c" };
export const GRACE = { id: "29:1grace-hopper", name: "Grace Hopper", aadObjectId: "7b2e1d4f-0c8e-4f3b-9d6a-1e2f3a4b5c6d" };
export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const CHANNEL = "19:payments-oncall@thread.tacv2";
export const GROUP_CHAT = "19:meeting_NjY4ZDk3@thread.v2";

let counter = 0;

/** Stores on tables no other test uses, in the run's Azurite. */
export async function freshStores(): Promise<{ installations: InstallationStore; deliveries: DeliveryStore; names: [string, string] }> {
  const suffix = `${process.pid}x${Date.now().toString(36)}x${counter++}`;
  const names: [string, string] = [`inst${suffix}`, `dlv${suffix}`];
  const storage = { connectionString: inject("storageConnectionString") };
  return { installations: await InstallationStore.open(storage, names[0]), deliveries: await DeliveryStore.open(storage, names[1]), names };
}

/** New store objects on existing tables, as after a restart. */
export async function reopenStores(names: [string, string]): Promise<{ installations: InstallationStore; deliveries: DeliveryStore }> {
  const storage = { connectionString: inject("storageConnectionString") };
  return { installations: await InstallationStore.open(storage, names[0]), deliveries: await DeliveryStore.open(storage, names[1]) };
}

/** In-memory use cases that behave like the real ones from the bot's side. */
export class FakeServices implements BotServices {
  readonly byId = new Map<string, Finding>();
  readonly silenceList: Silence[] = [];
  readonly calls: string[] = [];

  constructor(readonly clock: ManualClock, findings: Finding[] = []) {
    for (const f of findings) this.byId.set(f.id, f);
  }

  private resolve(prefix: string): Finding | ServiceError {
    const hits = [...this.byId.values()].filter((f) => f.id.startsWith(prefix));
    if (hits.length === 0) return { error: `No alert id starts with ${prefix}.` };
    if (hits.length > 1) return { error: `${prefix} matches ${hits.length} alerts; give more characters.` };
    return hits[0] as Finding;
  }

  async diagnose(api: string, instance?: string): Promise<Diagnosis | { candidates: string[] }> {
    this.calls.push(`diagnose ${api}${instance ? ` in ${instance}` : ""}`);
    const findings = [...this.byId.values()].filter((f) => f.api === api && (!instance || f.instance === instance));
    if (findings.length === 0) {
      const names = [...new Set([...this.byId.values()].map((f) => f.api).filter((a): a is string => !!a))];
      return { candidates: names.filter((n) => n.includes(api.slice(0, 3))) };
    }
    const first = findings[0] as Finding;
    return {
      api,
      instance: first.instance,
      layer: "gateway",
      verdict: first.cause === "BackendConnectionFailure" ? "The gateway cannot reach the backend: BackendConnectionFailure on 35% of requests." : first.summary,
      findings,
      evidence: { ...first.evidence, diagnostics: "on", subscriptionRequired: true },
    };
  }

  async status(): Promise<StatusView> {
    this.calls.push("status");
    const open = [...this.byId.values()].filter((f) => f.status !== "resolved");
    return { lastSweepAt: this.clock.now().toISOString(), open, instances: [{ instance: "pay-apim-prod", lastReadOk: this.clock.now().toISOString(), openAlerts: open.length }] };
  }

  async expiring(days: number): Promise<Finding[]> {
    this.calls.push(`expiring ${days}`);
    return [...this.byId.values()].filter((f) => f.kind === "subscription-expiring");
  }

  async ack(idPrefix: string, user: BotUser): Promise<Finding | ServiceError> {
    this.calls.push(`ack ${idPrefix} by ${user.name}`);
    const found = this.resolve(idPrefix);
    if ("error" in found) return found;
    const updated: Finding = { ...found, status: "acknowledged", acknowledgedBy: user.name, acknowledgedAt: this.clock.now().toISOString() };
    this.byId.set(updated.id, updated);
    return updated;
  }

  async snooze(idPrefix: string, ms: number, user: BotUser): Promise<Finding | ServiceError> {
    this.calls.push(`snooze ${idPrefix} ${ms} by ${user.name}`);
    const found = this.resolve(idPrefix);
    if ("error" in found) return found;
    const updated: Finding = { ...found, status: "snoozed", snoozedUntil: new Date(this.clock.now().getTime() + ms).toISOString() };
    this.byId.set(updated.id, updated);
    return updated;
  }

  async silence(target: string, ms: number, reason: string | undefined, user: BotUser): Promise<Silence | ServiceError> {
    this.calls.push(`silence ${target} ${ms}`);
    const s: Silence = { id: `s${this.silenceList.length + 1}`, target, until: new Date(this.clock.now().getTime() + ms).toISOString(), reason, createdBy: user.name, createdAt: this.clock.now().toISOString() };
    this.silenceList.push(s);
    return s;
  }

  async silences(): Promise<Silence[]> {
    return this.silenceList;
  }

  async report(): Promise<object> {
    this.calls.push("report");
    return { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "Hygiene: 4 problems, 1 fewer than last week" }] };
  }

  async findings(ids: readonly string[]): Promise<Finding[]> {
    return ids.map((id) => this.byId.get(id)).filter((f): f is Finding => f !== undefined);
  }
}

let activitySeq = 0;

function base(serviceUrl: string, conversationId: string, conversationType: string, from: { id: string; name: string; aadObjectId?: string }) {
  return {
    id: `in-${++activitySeq}`,
    channelId: "msteams",
    serviceUrl,
    timestamp: "2026-11-27T14:02:00.000Z",
    from,
    recipient: BOT,
    conversation: { id: conversationId, conversationType, tenantId: TENANT, isGroup: conversationType !== "personal" },
    channelData: { tenant: { id: TENANT }, ...(conversationType === "channel" ? { team: { id: "19:team@thread.tacv2", name: "Payments" }, channel: { id: conversationId } } : {}) },
  };
}

/** Teams's `installationUpdate` add for a team channel. */
export function installActivity(serviceUrl: string, conversationId = CHANNEL, conversationType = "channel") {
  return { ...base(serviceUrl, conversationId, conversationType, ADA), type: "installationUpdate", action: "add" };
}

/** Teams's `conversationUpdate` with the bot in membersAdded (group chats and personal chats). */
export function botAddedActivity(serviceUrl: string, conversationId: string, conversationType: string) {
  return { ...base(serviceUrl, conversationId, conversationType, ADA), type: "conversationUpdate", membersAdded: [{ id: BOT.id }] };
}

/** The bot removed from the conversation. */
export function botRemovedActivity(serviceUrl: string, conversationId: string, conversationType: string) {
  return { ...base(serviceUrl, conversationId, conversationType, ADA), type: "conversationUpdate", membersRemoved: [{ id: BOT.id }] };
}

/** A chat message as Teams sends it, mention included. */
export function messageActivity(serviceUrl: string, text: string, conversationId = CHANNEL, from = ADA) {
  return { ...base(serviceUrl, conversationId, "channel", from), type: "message", text, textFormat: "plain" };
}

/** An `adaptiveCard/action` invoke from clicking an Action.Execute button on the card `replyToId`. */
export function invokeActivity(serviceUrl: string, verb: string, data: Record<string, unknown>, replyToId: string, conversationId = CHANNEL, from = ADA) {
  return {
    ...base(serviceUrl, conversationId, "channel", from),
    type: "invoke",
    name: "adaptiveCard/action",
    replyToId,
    value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
  };
}

/** The Action.Submit fallback: a message whose `value` carries the button's data. */
export function submitActivity(serviceUrl: string, data: Record<string, unknown>, replyToId: string, conversationId = CHANNEL, from = ADA) {
  return { ...base(serviceUrl, conversationId, "channel", from), type: "message", replyToId, value: data };
}

/** Text of every TextBlock in a card, joined. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const visit = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(visit);
    else if (n && typeof n === "object") {
      const o = n as Record<string, unknown>;
      if (o.type === "TextBlock" && typeof o.text === "string") out.push(o.text);
      Object.values(o).forEach(visit);
    }
  };
  visit(card);
  return out.join("\n");
}

/** The card inside an activity the connector received. */
export function cardOf(activity: Record<string, unknown>): unknown {
  const attachments = activity.attachments as { contentType: string; content: unknown }[] | undefined;
  return attachments?.find((a) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content;
}
