/**
 * APIM.Product.SampleProduct: Sample product still present.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Sample product still present. */
export const productSampleProduct: HygieneRule = {
  id: "APIM.Product.SampleProduct",
  area: "Product",
  title: "Sample product still present",
  severity: "warning",
  rationale: "The Starter and Unlimited products that classic tiers create come with generous or no limits. Left in place, they are an easy way to broad access that nobody owns.",
  remediation: ["Move any real consumers to a product you own.", "Delete the starter and unlimited products."],
  docs: `${LEARN}/api-management-howto-add-products`,
  check: (snapshot) =>
    (snapshot.config?.products ?? [])
      .filter((p) => ["starter", "unlimited"].includes(p.name.toLowerCase()))
      .map((p) => ({ resourceId: p.id, scope: `product ${p.name}`, message: `The sample product ${p.name} is still present with ${p.apiNames.length} API(s).`, details: { apis: p.apiNames } })),
};
