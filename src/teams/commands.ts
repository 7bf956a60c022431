/**
 * Chat commands as a table of `{ pattern, handler, help }`, tried in order after the mention is
 * stripped. Anything else gets a short help with "did you mean".
 */
import { editDistance } from "../domain/edit-distance";
import type { Finding } from "../domain/finding";
import { diagnosisCard } from "../notify/diagnosis-card";
import { statusCard } from "../notify/status-card";
import { formatUtc } from "../notify/card-format";
import { scrubText } from "../notify/scrub-secrets";
import { isServiceError, type BotServices, type BotUser } from "./bot-services";
import { formatDuration, parseDuration } from "../triage/parse-duration";
import { isResourceName } from "./resource-name";

/** One answer to post back: text, or a card with a preview line. */
export type Reply = { text: string } | { card: object; summary: string };

/** What a command handler may use. */
export interface CommandContext {
  user: BotUser;
  services: BotServices;
  /** False when `Settings.actionUsers` does not list this user: ack, snooze and silence are refused. */
  mayAct: boolean;
  /** Called after a command changed alert state, so posted cards are updated in place. */
  changed(findingIds: string[]): Promise<void>;
}

/** One chat command. */
export interface Command {
  name: string;
  pattern: RegExp;
  usage: string;
  help: string;
  handler(match: RegExpExecArray, ctx: CommandContext): Promise<Reply[]>;
}

const ALERT_ID = /^[A-Za-z0-9]{6,64}$/;

const refuseAct: Reply = { text: "Only the people listed in APIMBOT_ACTION_USERS may acknowledge, snooze or silence alerts." };

function badName(kind: string, name: string): Reply {
  return { text: `"${clipInput(name)}" is not a valid ${kind} name: use letters, digits, '.', '_', ';', '=' or '-', starting with a letter or digit.` };
}

function badId(id: string): Reply {
  return { text: `"${clipInput(id)}" is not an alert id: give at least the first 6 characters of the id shown on the card.` };
}

function badDuration(text: string): Reply {
  return { text: `"${clipInput(text)}" is not a duration: use something like 30m, 4h or 1d.` };
}

/** User text echoed back is cut short and scrubbed, so a pasted key is not repeated to the channel. */
function clipInput(text: string): string {
  // Scrub before cutting: a cut token no longer looks like one.
  const clean = scrubText(text);
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

function ackReply(f: Finding, what: string): Reply {
  return { text: `${what} ${f.id}: ${f.title}` };
}

/** The commands, in the order they are tried. */
export const COMMANDS: readonly Command[] = [
  {
    name: "help",
    pattern: /^(?:help|\?)$/i,
    usage: "help",
    help: "Show what apimbot understands.",
    handler: async () => [{ text: helpText() }],
  },
  {
    name: "diagnose",
    pattern: /^diagnose\s+(\S+)(?:\s+in\s+(\S+))?$/i,
    usage: "diagnose <api> [in <instance>]",
    help: "Find the layer at fault for one API, with the evidence and the fix.",
    handler: async (m, ctx) => {
      const api = m[1] ?? "";
      const instance = m[2];
      if (!isResourceName(api)) return [badName("API", api)];
      if (instance !== undefined && !isResourceName(instance)) return [badName("instance", instance)];
      const result = await ctx.services.diagnose(api, instance);
      if ("candidates" in result) {
        return [{
          text: result.candidates.length === 0
            ? `No API named "${clipInput(api)}"${instance ? ` on ${clipInput(instance)}` : ""}.`
            : `"${clipInput(api)}" is unknown or ambiguous. Closest: ${result.candidates.slice(0, 8).join(", ")}.`,
        }];
      }
      return [{ card: diagnosisCard(result), summary: `Diagnosis of ${result.api}: ${result.layer}` }];
    },
  },
  {
    name: "status",
    pattern: /^status$/i,
    usage: "status",
    help: "Open alerts and when each instance was last read.",
    handler: async (_m, ctx) => {
      const view = await ctx.services.status();
      return [{ card: statusCard(view), summary: `${view.open.length} open alerts` }];
    },
  },
  {
    name: "expiring",
    pattern: /^expiring(?:\s+(\S+))?$/i,
    usage: "expiring [days]",
    help: "Subscriptions and certificates expiring soon (default 30 days).",
    handler: async (m, ctx) => {
      const raw = m[1];
      const days = raw === undefined ? 30 : Number(raw.replace(/d$/i, ""));
      if (!Number.isInteger(days) || days < 1 || days > 365) return [{ text: `"${clipInput(raw ?? "")}" is not a number of days from 1 to 365.` }];
      const found = await ctx.services.expiring(days);
      if (found.length === 0) return [{ text: `Nothing expires within ${days} days.` }];
      const lines = found.slice(0, 20).map((f) => `- ${f.title} (id ${f.id})`);
      if (found.length > 20) lines.push(`- and ${found.length - 20} more`);
      return [{ text: `Expiring within ${days} days:\n\n${lines.join("\n")}` }];
    },
  },
  {
    name: "report",
    pattern: /^report$/i,
    usage: "report",
    help: "Post the configuration hygiene summary.",
    handler: async (_m, ctx) => [{ card: await ctx.services.report(), summary: "Hygiene report" }],
  },
  {
    name: "ack",
    pattern: /^ack\s+(\S+)$/i,
    usage: "ack <alert-id>",
    help: "Acknowledge an alert (any unique id prefix of 6+ characters).",
    handler: async (m, ctx) => {
      const id = m[1] ?? "";
      if (!ALERT_ID.test(id)) return [badId(id)];
      if (!ctx.mayAct) return [refuseAct];
      const result = await ctx.services.ack(id, ctx.user);
      if (isServiceError(result)) return [{ text: result.error }];
      await ctx.changed([result.id]);
      return [ackReply(result, "Acknowledged")];
    },
  },
  {
    name: "snooze",
    pattern: /^snooze\s+(\S+)\s+(\S+)$/i,
    usage: "snooze <alert-id> <duration>",
    help: "Hold an alert back for a while, e.g. snooze 3f9a2c 4h.",
    handler: async (m, ctx) => {
      const id = m[1] ?? "";
      const ms = parseDuration(m[2] ?? "");
      if (!ALERT_ID.test(id)) return [badId(id)];
      if (ms === undefined) return [badDuration(m[2] ?? "")];
      if (!ctx.mayAct) return [refuseAct];
      const result = await ctx.services.snooze(id, ms, ctx.user);
      if (isServiceError(result)) return [{ text: result.error }];
      await ctx.changed([result.id]);
      return [ackReply(result, `Snoozed for ${formatDuration(ms)}`)];
    },
  },
  {
    name: "silences",
    pattern: /^silences$/i,
    usage: "silences",
    help: "List active silences.",
    handler: async (_m, ctx) => {
      const list = await ctx.services.silences();
      if (list.length === 0) return [{ text: "No active silences." }];
      const lines = list.map((s) => `- ${s.target} until ${formatUtc(s.until)} by ${s.createdBy}${s.reason ? `: ${s.reason}` : ""} (id ${s.id})`);
      return [{ text: `Active silences:\n\n${lines.join("\n")}` }];
    },
  },
  {
    name: "silence",
    pattern: /^silence\s+(\S+)\s+(\S+)(?:\s+(.+))?$/i,
    usage: "silence <instance|api> <duration> [reason]",
    help: "Hold back alerts for an instance or API during maintenance.",
    handler: async (m, ctx) => {
      const target = m[1] ?? "";
      const ms = parseDuration(m[2] ?? "");
      if (!isResourceName(target)) return [badName("instance or API", target)];
      if (ms === undefined) return [badDuration(m[2] ?? "")];
      if (!ctx.mayAct) return [refuseAct];
      const reason = m[3] ? scrubText(m[3].slice(0, 200)) : undefined;
      const result = await ctx.services.silence(target, ms, reason, ctx.user);
      if (isServiceError(result)) return [{ text: result.error }];
      return [{ text: `Silenced ${result.target} until ${formatUtc(result.until)}${result.reason ? ` (${result.reason})` : ""}. Matching alerts are kept but not posted.` }];
    },
  },
];

/** The help text: one line per command. */
export function helpText(): string {
  return ["I understand:", "", ...COMMANDS.map((c) => `- **${c.usage}**: ${c.help}`)].join("\n");
}

/** The command text without the `<at>apimbot</at>` mention, HTML spaces and extra whitespace. */
export function stripMention(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/^\s*@apimbot\b/i, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The closest command name to `word`, when one is close enough to be a typo. */
export function didYouMean(word: string): Command | undefined {
  const lower = word.toLowerCase();
  let best: { command: Command; distance: number } | undefined;
  for (const command of COMMANDS) {
    const distance = editDistance(lower, command.name);
    if (!best || distance < best.distance) best = { command, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(best.command.name.length / 3)) ? best.command : undefined;
}

/** Runs the first command whose pattern matches, or answers with usage or "did you mean" help. */
export async function runCommand(rawText: string, ctx: CommandContext): Promise<Reply[]> {
  const text = stripMention(rawText);
  for (const command of COMMANDS) {
    const match = command.pattern.exec(text);
    if (match) return command.handler(match, ctx);
  }
  const word = text.split(" ")[0] ?? "";
  const exact = COMMANDS.find((c) => c.name === word.toLowerCase());
  if (exact) return [{ text: `Usage: ${exact.usage}. ${exact.help}` }];
  const guess = word ? didYouMean(word) : undefined;
  const lead = guess ? `I don't know "${clipInput(word)}". Did you mean **${guess.usage}**?` : text ? `I don't know "${clipInput(text)}".` : "Hello.";
  return [{ text: `${lead}\n\n${helpText()}` }];
}
