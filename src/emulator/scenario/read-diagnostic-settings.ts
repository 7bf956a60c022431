/** The Azure Monitor diagnostic settings of an instance and the workspaces they point at. */
import { GUID, opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** A Log Analytics workspace that diagnostic settings can point at. */
export interface ScenarioWorkspace {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  customerId: string;
}

/** One diagnostic setting of an instance. */
export interface ScenarioDiagnosticSetting {
  name: string;
  /** Name of a workspace in `workspaces`. */
  workspace: string;
  /** `Dedicated` sends gateway logs to `ApiManagementGatewayLogs`; absent means `AzureDiagnostics`. */
  destinationType?: "Dedicated" | "AzureDiagnostics";
  categories: string[];
}

/** Reads the scenario's `workspaces[]`; `subRef` checks and normalises the subscription. */
export function readWorkspaces(r: ScenarioReader, root: Obj, subRef: (o: Obj, at: string) => string): ScenarioWorkspace[] {
  return r.list(root, "workspaces", "", "workspace", (v, at) => {
    const o = r.object(v, at, ["name", "subscriptionId", "resourceGroup", "location", "customerId"]);
    return {
      name: r.name(o, "name", at),
      subscriptionId: subRef(o, at),
      resourceGroup: r.name(o, "resourceGroup", at),
      location: r.reqStr(o, "location", at),
      customerId: r.reqStr(o, "customerId", at, { pattern: GUID, hint: "a workspace GUID" }).toLowerCase(),
    };
  });
}

/** Reads an instance's `diagnosticSettings[]`; each must name a known workspace. */
export function readDiagnosticSettings(r: ScenarioReader, o: Obj, at: string, workspaceNames: ReadonlySet<string>): ScenarioDiagnosticSetting[] {
  return r.list(o, "diagnosticSettings", at, "diagnostic setting", (d, p) => {
    const dobj = r.object(d, p, ["name", "workspace", "destinationType", "categories"]);
    const workspace = r.reqStr(dobj, "workspace", p);
    r.ref(workspaceNames, workspace, `${p}.workspace`, "workspace", "workspaces[]");
    const categories = r.strings(dobj, "categories", p);
    return {
      name: r.name(dobj, "name", p),
      workspace,
      ...opt("destinationType", r.str(dobj, "destinationType", p, { oneOf: ["Dedicated", "AzureDiagnostics"] }) as ScenarioDiagnosticSetting["destinationType"]),
      categories: categories.length > 0 ? categories : ["GatewayLogs"],
    };
  });
}
