/**
 * APIM.Subscription.AllApis: Subscription grants access to all APIs.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Subscription grants access to all APIs. */
export const subscriptionAllApis: HygieneRule = {
  id: "APIM.Subscription.AllApis",
  area: "Subscription",
  title: "Subscription grants access to all APIs",
  severity: "warning",
  rationale:
    "A subscription scoped to all APIs opens every API on the instance, including those added later. Consumers should hold keys for the product or API they use. The built-in all-access subscription every instance has is not reported.",
  remediation: ["Create a product or API-scoped subscription for the consumer.", "Move the consumer to its keys, then cancel the all-APIs subscription."],
  docs: `${LEARN}/api-management-subscriptions`,
  check: (snapshot) =>
    (snapshot.subscriptions ?? [])
      .filter((s) => s.scopeKind === "all-apis" && s.name !== "master" && ["active", "submitted"].includes(s.state))
      .map((s) => ({ resourceId: s.id, scope: `subscription ${s.displayName ?? s.name}`, message: `Subscription ${s.displayName ?? s.name} can call every API on the instance.`, details: { owner: s.ownerName ?? s.ownerEmail ?? s.ownerId } })),
};
