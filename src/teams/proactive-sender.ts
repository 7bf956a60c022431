/**
 * Posts and updates activities in installed conversations through the Agents SDK's `CloudAdapter`
 * (`continueConversation`), with connector failures turned into {@link ConnectorError}s that say
 * whether and when to retry.
 */
import { Activity, type ConversationReference } from "@microsoft/agents-activity";
import type { CloudAdapter, ConnectorClient, TurnContext } from "@microsoft/agents-hosting";
import type { JwtPayload } from "jsonwebtoken";
import { ConnectorError, type CardActivity, type ConversationSender } from "../notify/delivery";
import type { Installation } from "../store/installation-store";

/** The identity proactive turns run as: the bot's app id, or a non-empty anonymous one in local mode. */
export function proactiveIdentity(clientId: string | undefined): string | JwtPayload {
  // The SDK refuses an empty identity even when anonymous; one without `aud` means "no token".
  return clientId ? clientId : { name: "anonymous" };
}

/** `Retry-After` as milliseconds: either seconds or an HTTP date. */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Any failure of a connector call, as a {@link ConnectorError}; response bodies are never carried along. */
export function toConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = err as { status?: unknown; response?: { headers?: { get?(name: string): string | null } } };
  if (typeof e?.status === "number") {
    const header = e.response?.headers?.get?.("retry-after");
    return new ConnectorError(e.status, retryAfterMs(header, Date.now()));
  }
  return new ConnectorError(0);
}

/** A {@link ConversationSender} over the SDK adapter. */
export class AdapterSender implements ConversationSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly identity: string | JwtPayload,
  ) {}

  async post(installation: Installation, activity: CardActivity): Promise<{ id: string }> {
    let id = "";
    await this.inConversation(installation.reference, async (client, outgoing) => {
      const answer = await client.sendToConversation(installation.conversationId, outgoing(activity));
      id = answer?.id ?? "";
    });
    if (!id) throw new ConnectorError(502);
    return { id };
  }

  async update(installation: Installation, activityId: string, activity: CardActivity): Promise<void> {
    await this.inConversation(installation.reference, async (client, outgoing) => {
      const a = outgoing(activity);
      a.id = activityId;
      await client.updateActivity(installation.conversationId, activityId, a);
    });
  }

  private async inConversation(
    reference: ConversationReference,
    work: (client: ConnectorClient, outgoing: (a: CardActivity) => Activity) => Promise<void>,
  ): Promise<void> {
    // Without an activity id the continuation would reply to a random id instead of posting a new message.
    const { activityId: _ignored, ...ref } = reference;
    let failure: unknown;
    const outgoing = (a: CardActivity): Activity => Activity.fromObject({ ...a }).applyConversationReference(ref as ConversationReference);
    // Errors thrown inside the turn would go to onTurnError (which chats about them); keep them here.
    try {
      await this.adapter.continueConversation(this.identity, ref as ConversationReference, async (context: TurnContext) => {
        try {
          const client = context.turnState.get<ConnectorClient>(this.adapter.ConnectorClientKey);
          await work(client, outgoing);
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      // Getting a token or building the client failed before the turn ran.
      failure = err;
    }
    if (failure !== undefined) throw toConnectorError(failure);
  }
}
