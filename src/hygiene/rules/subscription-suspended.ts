/**
 * APIM.Subscription.Suspended: Subscription suspended.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Subscription suspended. */
export const subscriptionSuspended: HygieneRule = {
  id: "APIM.Subscription.Suspended",
  area: "Subscription",
  title: "Subscription suspended",
  severity: "info",
  rationale: "A suspended subscription's keys are refused. Left for months, it is either a consumer who was cut off and forgotten or one that should be cancelled.",
  remediation: ["Ask the owner whether the subscription is still needed.", "Reactivate it, or cancel it so it no longer shows up."],
  docs: `${LEARN}/api-management-subscriptions`,
  check: (snapshot) =>
    (snapshot.subscriptions ?? [])
      .filter((s) => s.state === "suspended")
      .map((s) => ({ resourceId: s.id, scope: `subscription ${s.displayName ?? s.name}`, message: `Subscription ${s.displayName ?? s.name} is suspended.`, details: { owner: s.ownerName ?? s.ownerEmail ?? s.ownerId } })),
};
