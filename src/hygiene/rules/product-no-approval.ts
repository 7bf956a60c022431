/**
 * APIM.Product.NoApproval: Published product grants subscriptions without approval.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Published product grants subscriptions without approval. */
export const productNoApproval: HygieneRule = {
  id: "APIM.Product.NoApproval",
  area: "Product",
  title: "Published product grants subscriptions without approval",
  severity: "info",
  rationale: "Without approval, anyone who signs up in the developer portal gets working keys to the product's APIs at once.",
  remediation: ["Turn on 'Requires approval' for the product, and name who approves requests."],
  docs: `${LEARN}/api-management-howto-add-products`,
  check: (snapshot) =>
    (snapshot.config?.products ?? [])
      .filter((p) => p.state === "published" && p.subscriptionRequired && !p.approvalRequired)
      .map((p) => ({ resourceId: p.id, scope: `product ${p.name}`, message: `Published product ${p.name} approves subscriptions automatically.` })),
};
