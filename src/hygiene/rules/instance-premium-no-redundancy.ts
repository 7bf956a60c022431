/**
 * APIM.Instance.PremiumNoRedundancy: Premium instance without zones or additional regions.
 */
import { LEARN, type HygieneRule } from "../rule";
import { instanceHit } from "./instance-support";

/** Premium instance without zones or additional regions. */
export const instancePremiumNoRedundancy: HygieneRule = {
  id: "APIM.Instance.PremiumNoRedundancy",
  area: "Instance",
  title: "Premium instance without zones or additional regions",
  severity: "info",
  rationale: "Premium is the classic tier that can spread units across availability zones and regions. A Premium instance with neither pays for resilience it does not use: one zone outage takes it down.",
  remediation: ["Enable availability zones in the primary region (with at least as many units as zones).", "Or add a region for multi-region failover."],
  docs: `${LEARN}/high-availability`,
  check: (snapshot) => {
    const i = snapshot.instance;
    if (String(i.sku.name) !== "Premium" || i.zones.length > 0 || i.additionalLocations.length > 0) return [];
    return [instanceHit(i, `Premium instance ${i.name} uses no availability zones and no additional region.`, { capacity: i.sku.capacity })];
  },
};
