/**
 * Which conversations get which findings. With no rules, everything goes everywhere the bot is
 * installed. Pure.
 */
import type { RouteRule } from "../config/settings";
import { SEVERITY_RANK, type Detection } from "../domain/finding";

/** The least routing needs to know about an installed conversation. */
export interface RoutableConversation {
  conversationId: string;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** True when every field the rule sets matches the finding (names compare case-insensitively, as ARM's do). */
export function ruleMatches(rule: RouteRule, finding: Pick<Detection, "subscriptionId" | "resourceGroup" | "instance" | "api" | "severity">): boolean {
  if (rule.subscriptionIds && !rule.subscriptionIds.some((s) => same(s, finding.subscriptionId))) return false;
  if (rule.resourceGroups && !rule.resourceGroups.some((g) => same(g, finding.resourceGroup))) return false;
  if (rule.instances && !rule.instances.some((i) => same(i, finding.instance))) return false;
  if (rule.apis && !(finding.api !== undefined && rule.apis.some((a) => same(a, finding.api as string)))) return false;
  if (rule.minSeverity && SEVERITY_RANK[finding.severity] < SEVERITY_RANK[rule.minSeverity]) return false;
  return true;
}

/** The installed conversations that should see `finding`, in installation order. */
export function routeFinding(finding: Parameters<typeof ruleMatches>[1], installed: readonly RoutableConversation[], rules: readonly RouteRule[]): string[] {
  const all = installed.map((c) => c.conversationId);
  if (rules.length === 0) return all;
  const chosen = new Set<string>();
  for (const rule of rules) {
    if (!ruleMatches(rule, finding)) continue;
    if (rule.conversations.includes("*")) return all;
    for (const id of rule.conversations) chosen.add(id);
  }
  // A rule may name a conversation the bot has left: nothing can be posted there.
  return all.filter((id) => chosen.has(id));
}
