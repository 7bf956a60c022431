/**
 * APIM.Api.VersionsWithoutSet: Several versions of one API without a version set.
 */
import type { ApiInfo } from "../../domain/snapshot";
import { LEARN, type HygieneRule } from "../rule";
import { apiHit, apis, versionFamily, hasVersionMark } from "./api-support";

/** Several versions of one API without a version set. */
export const apiVersionsWithoutSet: HygieneRule = {
  id: "APIM.Api.VersionsWithoutSet",
  area: "Api",
  title: "Several versions of one API without a version set",
  severity: "info",
  rationale:
    "APIs that are versions of one another but not joined in a version set appear as unrelated APIs: the developer portal cannot show them together, and retiring the old version is easy to forget.",
  remediation: ["Create a version set for the API and add each version to it, with the versioning scheme the callers already use (path, header or query)."],
  docs: `${LEARN}/api-management-versions`,
  check: (snapshot) => {
    const families = new Map<string, ApiInfo[]>();
    for (const a of apis(snapshot).filter((x) => x.isCurrent && x.apiVersionSetId === undefined)) {
      const key = versionFamily(a);
      families.set(key, [...(families.get(key) ?? []), a]);
    }
    return [...families.entries()]
      .filter(([, list]) => list.length >= 2 && list.some(hasVersionMark))
      .flatMap(([family, list]) =>
        list.map((a) => apiHit(a, `API ${a.name} looks like one of ${list.length} versions of /${family} that share no version set.`, { siblings: list.map((x) => x.name) })),
      );
  },
};
