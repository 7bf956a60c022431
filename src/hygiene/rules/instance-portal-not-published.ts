/**
 * APIM.Instance.PortalNotPublished: Developer portal never published.
 */
import { LEARN, type HygieneRule } from "../rule";
import { instanceHit } from "./instance-support";

/** Developer portal never published. */
export const instancePortalNotPublished: HygieneRule = {
  id: "APIM.Instance.PortalNotPublished",
  area: "Instance",
  title: "Developer portal never published",
  severity: "info",
  rationale: "Until the developer portal is published, its address shows nothing useful: developers cannot discover APIs, read their docs or request keys.",
  remediation: ["Open the developer portal as an administrator, review the content and select Publish.", "If the portal is not used, disable it so it does not look broken."],
  docs: `${LEARN}/developer-portal-overview`,
  check: (snapshot) => {
    const i = snapshot.instance;
    if (snapshot.config === undefined || String(i.sku.name) === "Consumption") return [];
    const published = snapshot.config.portalRevisions.some((r) => r.isCurrent && r.status.toLowerCase() === "completed");
    return published ? [] : [instanceHit(i, `The developer portal of ${i.name} has no published revision.`, { revisions: snapshot.config.portalRevisions.length })];
  },
};
