/**
 * The bot endpoint, transport-neutral: `functions/messages.ts` (Azure Functions) and the local host both
 * hand it `{ headers, body }` and send back the `{ status, body }` it returns.
 *
 * Outside the explicit local mode (`APIMBOT_DEV_ANONYMOUS_BOT=1`, which settings allow only on loopback)
 * every request must carry a Bot Service token, validated by the Agents SDK's JWT middleware against
 * the bot's identity settings (the SDK's own `clientId`/`tenantId` names, see `loadAuthConfigFromEnv`).
 */
import { CloudAdapter, loadAuthConfigFromEnv, type AuthConfiguration, type Request, type TurnContext, type WebResponse } from "@microsoft/agents-hosting";
import type { Settings } from "../config/settings";
import type { Clock } from "../domain/clock";
import { describeError } from "../domain/errors";
import type { Logger } from "../domain/logger";
import { Delivery, type CardActivity, type RetryPolicy } from "../notify/delivery";
import { scrubText } from "../notify/scrub-secrets";
import type { DeliveryStore } from "../store/delivery-store";
import type { InstallationStore } from "../store/installation-store";
import { ApimbotAgent } from "./apimbot-agent";
import type { BotServices } from "./bot-services";
import { AdapterSender, proactiveIdentity } from "./proactive-sender";

/** The tables the bot keeps. */
export interface BotStores {
  installations: InstallationStore;
  deliveries: DeliveryStore;
}

/** An HTTP request as any host sees it. `body` may be parsed JSON or the raw text. */
export interface BotRequest {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  method?: string;
}

/** What to answer. `body` is JSON when set. */
export interface BotResponse {
  status: number;
  body?: unknown;
}

/** Options mostly for tests and the local host. */
export interface EndpointOptions {
  /** The bot identity; default: the SDK's environment settings (ignored in local anonymous mode). */
  authConfig?: AuthConfiguration;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
}

/** The endpoint and the pieces the app wires further (delivery for sweeps, the adapter for hosts). */
export interface BotEndpoint {
  handle(req: BotRequest): Promise<BotResponse>;
  adapter: CloudAdapter;
  agent: ApimbotAgent;
  /** Delivery of alert cards to installed conversations, for the sweep use case. */
  delivery: Delivery;
  /** Posts any message (e.g. the weekly report card) to one installed conversation. */
  sendProactive(conversationId: string, activity: CardActivity): Promise<{ id: string }>;
}

const systemClock: Clock = { now: () => new Date() };

/** Collects what the SDK writes to its response object. */
class CollectedResponse implements WebResponse {
  statusCode = 200;
  body: unknown;
  headersSent = false;
  writableEnded = false;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  setHeader(_name: string, _value: string): this {
    return this;
  }
  send(body?: unknown): this {
    this.body = body;
    this.headersSent = true;
    return this;
  }
  end(): this {
    this.writableEnded = true;
    return this;
  }
}

function header(req: BotRequest, name: string): string | undefined {
  const found = Object.entries(req.headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(found) ? found[0] : found;
}

function tenantOf(body: Record<string, unknown>): string | undefined {
  const conversation = body.conversation as { tenantId?: unknown } | undefined;
  const channelData = body.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = conversation?.tenantId ?? channelData?.tenant?.id;
  return typeof id === "string" ? id : undefined;
}

/** Builds the endpoint. */
export function createBotEndpoint(
  settings: Pick<Settings, "devAnonymousBot" | "allowedTenants" | "actionUsers" | "routes">,
  services: BotServices,
  stores: BotStores,
  log: Logger,
  options: EndpointOptions = {},
): BotEndpoint {
  const clock = options.clock ?? systemClock;
  const authConfig: AuthConfiguration = settings.devAnonymousBot ? {} : (options.authConfig ?? loadAuthConfigFromEnv());
  const adapter = new CloudAdapter(authConfig);
  const clientId = settings.devAnonymousBot ? undefined : adapter.getClientId();
  const sender = new AdapterSender(adapter, proactiveIdentity(clientId));
  const delivery = new Delivery({ sender, installations: stores.installations, deliveries: stores.deliveries, routes: settings.routes, clock, log, retry: options.retry });
  const agent = new ApimbotAgent({ services, installations: stores.installations, deliveries: stores.deliveries, delivery, actionUsers: settings.actionUsers, clock, log });

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // Only the message: SDK errors can carry request data, and stacks are for debugging, not chat.
    log.error("turn failed", { activityType: context.activity.type, reason: scrubText(describeError(error)) });
    if (context.activity.type === "message") await context.sendActivity("Sorry, something went wrong on my side. Try again in a minute.");
  };

  const ownTenant = settings.devAnonymousBot ? undefined : authConfig.tenantId;
  const allowedTenants = settings.allowedTenants.length > 0 ? settings.allowedTenants : ownTenant ? [ownTenant] : [];
  if (!settings.devAnonymousBot && allowedTenants.length === 0) log.warn("no tenant allow-list: set APIMBOT_ALLOWED_TENANTS or the bot's tenantId");

  async function handle(req: BotRequest): Promise<BotResponse> {
    if (req.method !== undefined && req.method.toUpperCase() !== "POST") return { status: 405, body: { error: "Only POST is accepted." } };
    let body: unknown = req.body;
    if (typeof body === "string") {
      try {
        body = JSON.parse(body);
      } catch {
        return { status: 400, body: { error: "The body is not JSON." } };
      }
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return { status: 400, body: { error: "The body must be a Bot Framework activity." } };
    const activity = body as Record<string, unknown>;

    const request: Request = { headers: { ...req.headers, authorization: header(req, "authorization") }, body: activity, method: req.method ?? "POST" };
    if (!settings.devAnonymousBot) {
      // The SDK lets a request without a token through when no app id is set; outside local mode we never do.
      if (!request.headers.authorization) return { status: 401, body: { error: "A Bot Service token is required." } };
      const auth = new CollectedResponse();
      let authorized = false;
      await adapter.authorizeRequest(request, auth, () => {
        authorized = true;
      });
      if (!authorized) {
        log.warn("refused an activity with an invalid token", { status: auth.statusCode });
        return { status: auth.statusCode === 200 ? 401 : auth.statusCode, body: { error: "The Bot Service token is not valid for this bot." } };
      }
    }

    if (allowedTenants.length > 0) {
      const tenant = tenantOf(activity);
      if (!tenant || !allowedTenants.some((t) => t.toLowerCase() === tenant.toLowerCase())) {
        log.warn("refused an activity from a tenant that is not allowed", { tenant: tenant ?? "none" });
        return { status: 403, body: { error: "This tenant may not use this bot." } };
      }
    }

    const res = new CollectedResponse();
    try {
      await adapter.process(request, res, (context) => agent.run(context));
    } catch (err) {
      log.error("could not process an activity", { reason: scrubText(describeError(err)) });
      return { status: 500, body: { error: "The activity could not be processed." } };
    }
    return { status: res.statusCode, body: res.body };
  }

  async function sendProactive(conversationId: string, activity: CardActivity): Promise<{ id: string }> {
    const installation = await stores.installations.get(conversationId);
    if (!installation) throw new Error(`apimbot is not installed in conversation ${conversationId}`);
    return sender.post(installation, activity);
  }

  return { handle, adapter, agent, delivery, sendProactive };
}
