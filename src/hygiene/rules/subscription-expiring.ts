/**
 * APIM.Subscription.Expiring: Subscription expires within 30 days.
 */
import { daysUntil, LEARN, type HygieneRule } from "../rule";
import { SUBSCRIPTION_EXPIRY_DAYS } from "./access-support";

/** Subscription expires within 30 days. */
export const subscriptionExpiring: HygieneRule = {
  id: "APIM.Subscription.Expiring",
  area: "Subscription",
  title: "Subscription expires within 30 days",
  severity: "warning",
  expiring: true,
  config: { withinDays: SUBSCRIPTION_EXPIRY_DAYS, criticalWithinDays: 7 },
  rationale: "When a subscription's expiration date passes, its keys stop working and the consumer's calls fail with 401. Consumers rarely notice the date in advance.",
  remediation: ["Tell the subscription's owner the date.", "Extend the expiration date, or issue a new subscription and have the consumer switch keys before the date."],
  docs: `${LEARN}/api-management-subscriptions`,
  check: (snapshot, now) =>
    (snapshot.subscriptions ?? []).flatMap((s) => {
      const days = daysUntil(s.expirationDate, now);
      if (s.state !== "active" || days === undefined || days < 0 || days > SUBSCRIPTION_EXPIRY_DAYS) return [];
      return [
        {
          resourceId: s.id,
          scope: `subscription ${s.displayName ?? s.name}`,
          message: `Subscription ${s.displayName ?? s.name} expires in ${days} day(s), on ${s.expirationDate?.slice(0, 10) ?? ""}.`,
          ...(days <= 7 ? { severity: "critical" as const } : {}),
          details: { expirationDate: s.expirationDate, daysLeft: days, owner: s.ownerName ?? s.ownerEmail ?? s.ownerId, scope: s.scope },
        },
      ];
    }),
};
