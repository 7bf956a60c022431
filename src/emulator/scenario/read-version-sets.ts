/** The API version sets of an instance. */
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** A version set: how the versions of one API are told apart. */
export interface ScenarioVersionSet {
  name: string;
  displayName: string;
  versioningScheme: string;
  versionQueryName?: string;
  versionHeaderName?: string;
  description?: string;
}

/** Reads `versionSets[]`. */
export function readVersionSets(r: ScenarioReader, o: Obj, at: string): ScenarioVersionSet[] {
  return r.list(o, "versionSets", at, "version set", (vs, p) => {
    const vo = r.object(vs, p, ["name", "displayName", "versioningScheme", "versionQueryName", "versionHeaderName", "description"]);
    const versioningScheme = r.reqStr(vo, "versioningScheme", p, { oneOf: ["Segment", "Query", "Header"] });
    const set = {
      name: r.name(vo, "name", p),
      displayName: r.reqStr(vo, "displayName", p),
      versioningScheme,
      ...opt("versionQueryName", r.str(vo, "versionQueryName", p)),
      ...opt("versionHeaderName", r.str(vo, "versionHeaderName", p)),
      ...opt("description", r.str(vo, "description", p)),
    };
    if (versioningScheme === "Query" && !set.versionQueryName) r.fail(`${p}.versionQueryName`, "is required when versioningScheme is Query");
    if (versioningScheme === "Header" && !set.versionHeaderName) r.fail(`${p}.versionHeaderName`, "is required when versioningScheme is Header");
    return set;
  });
}
