/**
 * The bot's turn logic on the Agents SDK's `ActivityHandler`: installations, chat commands and card
 * actions (acknowledge, snooze, diagnose, refresh).
 */
import { ActivityHandler, MessageFactory, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type TurnContext } from "@microsoft/agents-hosting";
import type { Clock } from "../domain/clock";
import { describeError } from "../domain/errors";
import type { Logger } from "../domain/logger";
import { findingsCard, type CardActionData } from "../notify/alert-card";
import { ADAPTIVE_CARD_CONTENT_TYPE } from "../notify/card-types";
import { diagnosisCard } from "../notify/diagnosis-card";
import { scrubText } from "../notify/scrub-secrets";
import type { Delivery } from "../notify/delivery";
import type { DeliveryRecord, DeliveryStore } from "../store/delivery-store";
import type { InstallationScope, InstallationStore } from "../store/installation-store";
import { isServiceError, type BotServices, type BotUser } from "./bot-services";
import { runCommand, type Reply } from "./commands";
import { parseDuration } from "../triage/parse-duration";
import { isResourceName } from "./resource-name";

/** What the agent needs. */
export interface AgentDeps {
  services: BotServices;
  installations: InstallationStore;
  deliveries: DeliveryStore;
  delivery: Delivery;
  /** `Settings.actionUsers`: who may ack, snooze and silence; empty means anyone in the conversation. */
  actionUsers: readonly string[];
  clock: Clock;
  log: Logger;
}

const ALERT_ID = /^[A-Za-z0-9]{6,64}$/;
const MESSAGE_TYPE = "application/vnd.microsoft.activity.message";
const WELCOME = "apimbot is installed here. Alerts for this conversation will be posted as cards. Type **help** to see the commands.";

/**
 * The channel a conversation id belongs to. Inside a channel thread Teams appends `;messageid=<root>`,
 * so a click on a card arrives with the thread's id while the card was recorded under the channel's.
 */
export function baseConversationId(id: string): string {
  const at = id.toLowerCase().indexOf(";messageid=");
  return at >= 0 ? id.slice(0, at) : id;
}

/** Teams's three conversation kinds. */
export function scopeOf(conversationType: string | undefined, isGroup: boolean | undefined): InstallationScope {
  if (conversationType === "channel") return "channel";
  if (conversationType === "groupChat" || isGroup) return "groupChat";
  return "personal";
}

/** The Teams bot. */
export class ApimbotAgent extends ActivityHandler {
  private readonly installing = new Map<string, Promise<void>>();

  constructor(private readonly deps: AgentDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.install(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.uninstall(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((m) => m.id === botId)) await this.install(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersRemoved?.some((m) => m.id === botId)) await this.uninstall(context);
      await next();
    });
  }

  private async install(context: TurnContext): Promise<void> {
    const a = context.activity;
    const conversationId = a.conversation?.id ? baseConversationId(a.conversation.id) : undefined;
    if (!conversationId || !a.serviceUrl) return;
    // The two install events of one installation arrive milliseconds apart; handled one after the other,
    // the second sees the first's record and does not greet again.
    const previous = this.installing.get(conversationId) ?? Promise.resolve();
    const run = previous.then(() => this.record(context, conversationId));
    const settled = run.catch(() => {});
    this.installing.set(conversationId, settled);
    void settled.then(() => {
      if (this.installing.get(conversationId) === settled) this.installing.delete(conversationId);
    });
    await run;
  }

  private async record(context: TurnContext, conversationId: string): Promise<void> {
    const a = context.activity;
    const known = await this.deps.installations.get(conversationId);
    const { activityId: _dropped, ...reference } = a.getConversationReference();
    const channelData = (a.channelData ?? {}) as { team?: { name?: string }; tenant?: { id?: string } };
    const scope = scopeOf(a.conversation?.conversationType, a.conversation?.isGroup);
    await this.deps.installations.add({
      conversationId,
      scope,
      tenantId: a.conversation?.tenantId ?? channelData.tenant?.id,
      name: channelData.team?.name ?? a.conversation?.name,
      installedAt: known?.installedAt ?? this.deps.clock.now().toISOString(),
      reference,
    });
    this.deps.log.info("installed", { conversationId, scope });
    // Teams sends both installationUpdate and conversationUpdate for one install: greet once.
    if (!known) await context.sendActivity(MessageFactory.text(WELCOME));
  }

  private async uninstall(context: TurnContext): Promise<void> {
    const raw = context.activity.conversation?.id;
    const conversationId = raw ? baseConversationId(raw) : undefined;
    if (!conversationId) return;
    await this.deps.installations.remove(conversationId);
    await this.deps.deliveries.forgetConversation(conversationId);
    this.deps.log.info("uninstalled", { conversationId });
  }

  private user(context: TurnContext): BotUser {
    const from = context.activity.from;
    return { id: from?.id ?? "unknown", name: from?.name || "someone", aadObjectId: from?.aadObjectId };
  }

  /** Whether this user may change alert state. */
  mayAct(context: TurnContext): boolean {
    if (this.deps.actionUsers.length === 0) return true;
    const from = (context.activity.from ?? {}) as { id?: string; aadObjectId?: string; userPrincipalName?: string; email?: string };
    const mine = [from.id, from.aadObjectId, from.userPrincipalName, from.email].filter((v): v is string => !!v).map((v) => v.toLowerCase());
    return this.deps.actionUsers.some((u) => mine.includes(u.toLowerCase()));
  }

  private async message(context: TurnContext): Promise<void> {
    const value = context.activity.value as (CardActionData & { verb?: string }) | undefined;
    if (value && typeof value === "object" && typeof value.verb === "string" && typeof value.id === "string") {
      // Action.Submit fallback from clients without Action.Execute.
      const outcome = await this.act(context, value.verb, value);
      if (outcome.message) await context.sendActivity(MessageFactory.text(outcome.message));
      return;
    }
    const replies = await runCommand(context.activity.text ?? "", {
      user: this.user(context),
      services: this.deps.services,
      mayAct: this.mayAct(context),
      changed: (ids) => this.changed(ids),
    });
    for (const reply of replies) await context.sendActivity(toActivity(reply));
  }

  private async changed(ids: string[]): Promise<void> {
    try {
      await this.deps.delivery.refreshCards(ids, (wanted) => this.deps.services.findings(wanted));
    } catch (err) {
      // The state change itself is saved; the next sweep brings the cards up to date.
      this.deps.log.warn("could not update cards after a change", { reason: scrubText(describeError(err)) });
    }
  }

  /**
   * Runs a card action. `message` is set when the person should read something instead of (or besides)
   * the refreshed card.
   */
  private async act(context: TurnContext, verb: string, data: CardActionData): Promise<{ message?: string; refused?: boolean }> {
    if (typeof data.id !== "string" || !ALERT_ID.test(data.id)) return { message: "This card action is not valid.", refused: true };
    const ids = await this.memberIds(context, data);
    const user = this.user(context);
    switch (verb) {
      case "refresh":
        return {};
      case "ack":
      case "snooze": {
        if (!this.mayAct(context)) return { message: "Only the people listed in APIMBOT_ACTION_USERS may acknowledge or snooze alerts.", refused: true };
        const ms = verb === "snooze" ? parseDuration(data.duration ?? "1h") : undefined;
        if (verb === "snooze" && ms === undefined) return { message: "Pick how long to snooze: 1h, 4h or 1d.", refused: true };
        const done: string[] = [];
        const errors: string[] = [];
        for (const id of ids) {
          const result = verb === "ack" ? await this.deps.services.ack(id, user) : await this.deps.services.snooze(id, ms as number, user);
          if (isServiceError(result)) errors.push(result.error);
          else done.push(result.id);
        }
        if (done.length > 0) await this.changed(done);
        if (errors.length > 0) return { message: errors.join(" "), refused: true };
        return { message: `${verb === "ack" ? "Acknowledged" : `Snoozed for ${data.duration ?? "1h"}`} by ${user.name}.` };
      }
      case "diagnose": {
        const api = data.api ?? "";
        const instance = data.instance;
        if (!isResourceName(api) || (instance !== undefined && !isResourceName(instance))) return { message: "This card names an API that cannot be diagnosed.", refused: true };
        const result = await this.deps.services.diagnose(api, instance);
        if ("candidates" in result) return { message: `No single API named ${scrubText(api)}. Closest: ${result.candidates.slice(0, 8).join(", ") || "none"}.`, refused: true };
        await context.sendActivity(toActivity({ card: diagnosisCard(result), summary: `Diagnosis of ${result.api}` }));
        return {};
      }
      default:
        return { message: `Unknown card action "${verb.slice(0, 20)}".`, refused: true };
    }
  }

  /** The posted card the action came from: by the activity clicked, else by the card key in the data. */
  private async sourceRecord(context: TurnContext, data: CardActionData): Promise<DeliveryRecord | undefined> {
    const raw = context.activity.conversation?.id;
    if (!raw) return undefined;
    const conversationId = baseConversationId(raw);
    const replyTo = context.activity.replyToId;
    const byActivity = replyTo ? await this.deps.deliveries.findByActivity(conversationId, replyTo) : undefined;
    if (byActivity) return byActivity;
    return (await this.deps.deliveries.listConversation(conversationId)).find((r) => r.cardKey === data.id);
  }

  /** The findings an action covers: the card's members for a grouped card, else the one finding. */
  private async memberIds(context: TurnContext, data: CardActionData): Promise<string[]> {
    if (Array.isArray(data.ids)) return data.ids.filter((i): i is string => typeof i === "string" && ALERT_ID.test(i));
    const record = await this.sourceRecord(context, data);
    return record && record.cardKey === data.id ? record.findingIds : [data.id];
  }

  /** The card as it should look now for the person who clicked. */
  private async currentCard(context: TurnContext, data: CardActionData): Promise<object | undefined> {
    const record = await this.sourceRecord(context, data);
    const ids = record?.findingIds ?? (await this.memberIds(context, data));
    const members = await this.deps.services.findings(ids);
    if (members.length === 0) return undefined;
    return findingsCard(members, record?.cardKey ?? data.id);
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const verb = value.action?.verb ?? "";
    const data = (value.action?.data ?? {}) as unknown as CardActionData;
    try {
      const outcome = await this.act(context, verb, data);
      const card = await this.currentCard(context, data);
      // A refusal reads better as a short message than as an unchanged card.
      if (outcome.refused) return messageResponse(outcome.message ?? "Refused.");
      if (!card) return messageResponse("This alert is no longer tracked.");
      return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card as Record<string, unknown> };
    } catch (err) {
      this.deps.log.error("card action failed", { verb, reason: scrubText(describeError(err)) });
      return messageResponse("Something went wrong handling that action. Try again, or use the chat command.");
    }
  }
}

function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: MESSAGE_TYPE, value: text as unknown as Record<string, unknown> };
}

/** A reply as an outgoing activity. */
export function toActivity(reply: Reply) {
  if ("text" in reply) return MessageFactory.text(reply.text);
  const activity = MessageFactory.attachment({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: reply.card });
  activity.summary = reply.summary;
  return activity;
}
