/**
 * ARM routes: `Microsoft.ApiManagement/service` and its child collections (2024-05-01 shapes), the
 * service's diagnostic settings, Log Analytics workspaces, the Activity Log and Resource Health.
 * Read-only, as a Reader sees it: writes and secret-revealing actions answer 403.
 */
import { apimPage, armError, HttpProblem, ok, tokenPage, type RouteContext, type RouteResult } from "./arm-http";
import type { ArmResource, Estate, EstateInstance } from "./arm-estate";
import { escapePolicyExpressions } from "./policy-format";
import type { EmuRequest } from "./telemetry-routes";

/** Service-level collections: URL segment (lower case) → stats name, page-size key, singular for messages. */
const COLLECTIONS: Record<string, { stat: string; paging: string; noun: string }> = {
  subscriptions: { stat: "subscriptions", paging: "subscriptions", noun: "Subscription" },
  users: { stat: "users", paging: "users", noun: "User" },
  apis: { stat: "apis", paging: "apis", noun: "Api" },
  apiversionsets: { stat: "versionSets", paging: "versionSets", noun: "ApiVersionSet" },
  products: { stat: "products", paging: "products", noun: "Product" },
  backends: { stat: "backends", paging: "backends", noun: "Backend" },
  namedvalues: { stat: "namedValues", paging: "namedValues", noun: "NamedValue" },
  diagnostics: { stat: "diagnostics", paging: "diagnostics", noun: "Diagnostic" },
  loggers: { stat: "loggers", paging: "loggers", noun: "Logger" },
  portalrevisions: { stat: "portalRevisions", paging: "portalRevisions", noun: "PortalRevision" },
  gateways: { stat: "gateways", paging: "gateways", noun: "Gateway" },
  certificates: { stat: "certificates", paging: "certificates", noun: "Certificate" },
};

/** Actions that reveal secrets; a least-privilege reader is refused them. */
const SECRET_ACTIONS = new Set(["listsecrets", "listvalue", "listkeys", "generatetoken", "regenerateprimarykey", "regeneratesecondarykey", "listdebugcredentials", "getssotoken", "token", "generatessourl"]);

/** Handles an ARM request; undefined when the path is not an ARM route of the core emulator. */
export function handleArm(req: EmuRequest, estate: Estate, ctx: RouteContext): RouteResult | undefined {
  const segs = req.path.split("/").filter((s) => s !== "");
  const low = segs.map((s) => s.toLowerCase());
  if (low[0] !== "subscriptions") return undefined;
  // Metrics belong to the telemetry routes, at any scope.
  if (low.includes("microsoft.insights") && (low[low.length - 1] === "metrics" || low[low.length - 1] === "metricdefinitions" || low[low.length - 1] === "metricnamespaces")) return undefined;
  try {
    return route(req, segs, low, estate, ctx);
  } catch (e) {
    if (e instanceof HttpProblem) return { kind: "arm.badRequest", response: e.response };
    throw e;
  }
}

function needsApiVersion(req: EmuRequest): RouteResult | undefined {
  if (req.query.get("api-version")) return undefined;
  return { kind: "arm.badRequest", response: armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.") };
}

function readOnly(req: EmuRequest, action: string, scope: string): RouteResult | undefined {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  return {
    kind: "arm.forbidden",
    response: armError(
      403,
      "AuthorizationFailed",
      `The client does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ),
  };
}

function route(req: EmuRequest, segs: string[], low: string[], estate: Estate, ctx: RouteContext): RouteResult | undefined {
  const sub = low[1] ?? "";
  const missingVersion = needsApiVersion(req);
  if (missingVersion) return missingVersion;
  if (segs.length === 1) return { kind: "arm.azureSubscriptions.list", response: ok({ value: [...estate.subscriptions].map((s) => azureSubscription(estate, s)), count: { type: "Total", value: estate.subscriptions.size } }) };
  if (!estate.subscriptions.has(sub)) {
    return { kind: "arm.notFound", response: armError(404, "SubscriptionNotFound", `The subscription '${segs[1]}' could not be found.`) };
  }
  const subInstances = estate.instances.filter((i) => i.subscriptionId === sub);
  if (segs.length === 2) return { kind: "arm.azureSubscriptions.get", response: ok(azureSubscription(estate, sub)) };

  // /subscriptions/{s}/providers/...
  if (low[2] === "providers") {
    if (low[3] === "microsoft.apimanagement" && low[4] === "service" && segs.length === 5) {
      return readOnly(req, "Microsoft.ApiManagement/service/write", `/subscriptions/${sub}`) ?? { kind: "arm.service.list", response: tokenPage(subInstances.map((i) => i.resource), req, ctx, "services") };
    }
    if (low[3] === "microsoft.insights" && low[4] === "eventtypes" && low[5] === "management" && low[6] === "values" && segs.length === 7) {
      return { kind: "arm.activityLog.list", response: activityLog(req, estate, sub, ctx) };
    }
    return undefined;
  }

  if (low[2] !== "resourcegroups" || segs.length < 4) return undefined;
  const rg = low[3] ?? "";
  const rgKnown = subInstances.some((i) => i.resourceGroup.toLowerCase() === rg) || estate.workspaces.some((w) => w.id.toLowerCase().startsWith(`/subscriptions/${sub}/resourcegroups/${rg}/`));
  if (!rgKnown) return { kind: "arm.notFound", response: armError(404, "ResourceGroupNotFound", `Resource group '${segs[3]}' could not be found.`) };
  if (low[4] !== "providers") return undefined;

  if (low[5] === "microsoft.operationalinsights" && low[6] === "workspaces" && segs.length === 8) {
    const ws = estate.workspaces.find((w) => w.id.toLowerCase() === `/subscriptions/${sub}/resourcegroups/${rg}/providers/microsoft.operationalinsights/workspaces/${low[7]}`);
    if (!ws) return { kind: "arm.notFound", response: armError(404, "ResourceNotFound", `The Resource 'Microsoft.OperationalInsights/workspaces/${segs[7]}' under resource group '${segs[3]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`) };
    return { kind: "arm.workspace.get", response: ok(ws) };
  }
  if (low[5] !== "microsoft.apimanagement" || low[6] !== "service") return undefined;
  if (segs.length === 7) {
    const list = subInstances.filter((i) => i.resourceGroup.toLowerCase() === rg).map((i) => i.resource);
    return { kind: "arm.service.listByResourceGroup", response: tokenPage(list, req, ctx, "services") };
  }
  const inst = subInstances.find((i) => i.resourceGroup.toLowerCase() === rg && i.name.toLowerCase() === low[7]);
  if (!inst) {
    return {
      kind: "arm.notFound",
      response: armError(404, "ResourceNotFound", `The Resource 'Microsoft.ApiManagement/service/${segs[7]}' under resource group '${segs[3]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`),
    };
  }
  return serviceRoute(req, segs.slice(8), low.slice(8), inst, ctx);
}

/** An Azure subscription as `GET /subscriptions` shows it. */
function azureSubscription(estate: Estate, id: string): Record<string, unknown> {
  return {
    id: `/subscriptions/${id}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: id,
    tenantId: estate.tenantId,
    displayName: estate.subscriptionNames.get(id) ?? id,
    state: "Enabled",
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "EnterpriseAgreement_2014-09-01", spendingLimit: "Off" },
  };
}

function notFound(noun: string): RouteResult {
  return { kind: "arm.notFound", response: armError(404, "ResourceNotFound", `${noun} not found.`) };
}

function find(items: ArmResource[] | undefined, name: string): ArmResource | undefined {
  return items?.find((r) => r.name.toLowerCase() === name.toLowerCase());
}

function serviceRoute(req: EmuRequest, rest: string[], low: string[], inst: EstateInstance, ctx: RouteContext): RouteResult {
  if (rest.length === 0) {
    return readOnly(req, "Microsoft.ApiManagement/service/write", inst.id) ?? { kind: "arm.service.get", response: ok(inst.resource) };
  }
  const last = low[low.length - 1] ?? "";
  if (req.method === "POST" && SECRET_ACTIONS.has(last)) {
    const types = rest.slice(0, -1).filter((_, i) => i % 2 === 0);
    const action = `Microsoft.ApiManagement/service/${[...types, rest[rest.length - 1] ?? ""].join("/")}/action`;
    return {
      kind: `arm.${last}`,
      response: armError(
        403,
        "AuthorizationFailed",
        `The client does not have authorization to perform action '${action}' over scope '${inst.id}/${rest.join("/")}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      ),
    };
  }
  const forbidden = readOnly(req, `Microsoft.ApiManagement/service/${low[0] ?? ""}/write`, `${inst.id}/${rest.join("/")}`);
  if (forbidden) return forbidden;

  if (low[0] === "providers") return insightsRoute(req, rest, low, inst, ctx);
  if (low[0] === "networkstatus" && rest.length === 1) return { kind: "arm.networkStatus.list", response: ok(inst.networkStatus) };
  if (low[0] === "locations" && low[2] === "networkstatus" && rest.length === 3) {
    const entry = (inst.networkStatus as { location: string; networkStatus: unknown }[]).find((n) => n.location.replace(/\s+/g, "").toLowerCase() === (low[1] ?? "").replace(/\s+/g, ""));
    return entry ? { kind: "arm.networkStatus.get", response: ok(entry.networkStatus) } : notFound("Location");
  }
  if (low[0] === "policies") return policyRoute(req, rest.slice(1), inst, "", "arm.policy");

  if (low[0] === "apis" && rest.length >= 3) {
    const api = find(inst.collections.get("apis"), rest[1] ?? "");
    if (!api) return notFound("Api");
    const apiKey = api.name.toLowerCase();
    if (low[2] === "operations") {
      const ops = inst.children.get(`apis/${apiKey}/operations`) ?? [];
      if (rest.length === 3) return { kind: "arm.operations.list", response: apimPage(ops, req, ctx, "operations") };
      const op = find(ops, rest[3] ?? "");
      if (!op) return notFound("Operation");
      if (rest.length === 4) return { kind: "arm.operations.get", response: ok(op) };
      if (low[4] === "policies") return policyRoute(req, rest.slice(5), inst, `apis/${apiKey}/operations/${op.name.toLowerCase()}`, "arm.operationPolicy");
    }
    if (low[2] === "policies") return policyRoute(req, rest.slice(3), inst, `apis/${apiKey}`, "arm.apiPolicy");
    if (low[2] === "diagnostics") {
      const diags = inst.children.get(`apis/${apiKey}/diagnostics`) ?? [];
      if (rest.length === 3) return { kind: "arm.apiDiagnostics.list", response: apimPage(diags, req, ctx, "diagnostics") };
      const d = find(diags, rest[3] ?? "");
      if (rest.length === 4) return d ? { kind: "arm.apiDiagnostics.get", response: ok(d) } : notFound("Diagnostic");
    }
    return { kind: "arm.notFound", response: armError(404, "InvalidResourceType", `The resource type '${rest[2] ?? ""}' is not served under an API by this emulator.`) };
  }
  if (low[0] === "products" && rest.length >= 3) {
    const product = find(inst.collections.get("products"), rest[1] ?? "");
    if (!product) return notFound("Product");
    const key = product.name.toLowerCase();
    if (low[2] === "apis") {
      const apis = inst.children.get(`products/${key}/apis`) ?? [];
      if (rest.length === 3) return { kind: "arm.productApis.list", response: apimPage(apis, req, ctx, "productApis") };
      if (rest.length === 4) {
        const a = find(apis, rest[3] ?? "");
        return a ? { kind: "arm.productApis.get", response: ok(a) } : notFound("Api");
      }
    }
    if (low[2] === "policies") return policyRoute(req, rest.slice(3), inst, `products/${key}`, "arm.productPolicy");
    return { kind: "arm.notFound", response: armError(404, "InvalidResourceType", `The resource type '${rest[2] ?? ""}' is not served under a product by this emulator.`) };
  }

  const collection = COLLECTIONS[low[0] ?? ""];
  if (collection) {
    const items = inst.collections.get(low[0] ?? "") ?? [];
    if (rest.length === 1) return { kind: `arm.${collection.stat}.list`, response: apimPage(items, req, ctx, collection.paging) };
    if (rest.length === 2) {
      const item = find(items, rest[1] ?? "");
      return item ? { kind: `arm.${collection.stat}.get`, response: ok(item) } : notFound(collection.noun);
    }
  }
  return { kind: "arm.notFound", response: armError(404, "InvalidResourceType", `The resource type '${rest.join("/")}' is not served by this emulator for Microsoft.ApiManagement/service.`) };
}

function policyRoute(req: EmuRequest, rest: string[], inst: EstateInstance, scopeKey: string, kind: string): RouteResult {
  const policy = inst.policies.get(scopeKey);
  const format = req.query.get("format") ?? "xml";
  if (format !== "xml" && format !== "rawxml") {
    return { kind: "arm.badRequest", response: armError(400, "ValidationError", `Policy format '${format}' is not supported by the emulator; use 'xml' or 'rawxml'.`) };
  }
  const render = (p: NonNullable<typeof policy>): ArmResource => ({
    id: p.id,
    type: p.type,
    name: "policy",
    properties: format === "rawxml" ? { format: "rawxml", value: p.raw } : { value: escapePolicyExpressions(p.raw) },
  });
  if (rest.length === 0) return { kind: `${kind}.list`, response: ok({ value: policy ? [render(policy)] : [], count: policy ? 1 : 0 }) };
  if (rest.length === 1 && (rest[0] ?? "").toLowerCase() === "policy") {
    return policy ? { kind: `${kind}.get`, response: ok(render(policy)) } : { kind: `${kind}.get`, response: armError(404, "ResourceNotFound", "Policy configuration not found.") };
  }
  return notFound("Policy");
}

function insightsRoute(req: EmuRequest, rest: string[], low: string[], inst: EstateInstance, _ctx: RouteContext): RouteResult {
  if (low[1] === "microsoft.insights" && low[2] === "diagnosticsettings") {
    if (rest.length === 3) return { kind: "arm.diagnosticSettings.list", response: ok({ value: inst.diagnosticSettings }) };
    if (rest.length === 4) {
      const d = find(inst.diagnosticSettings, rest[3] ?? "");
      return d
        ? { kind: "arm.diagnosticSettings.get", response: ok(d) }
        : { kind: "arm.notFound", response: armError(404, "ResourceNotFound", `The diagnostic setting '${rest[3] ?? ""}' doesn't exist.`) };
    }
  }
  if (low[1] === "microsoft.resourcehealth" && low[2] === "availabilitystatuses") {
    if (rest.length === 3) return { kind: "arm.resourceHealth.list", response: ok({ value: [inst.health] }) };
    if (rest.length === 4 && low[3] === "current") return { kind: "arm.resourceHealth.get", response: ok(inst.health) };
  }
  return { kind: "arm.notFound", response: armError(404, "InvalidResourceType", `The resource type '${rest.join("/")}' is not served by this emulator.`) };
}

interface ActivityFilter {
  from: number;
  to: number;
  resourceUri?: string;
  resourceGroup?: string;
  correlationId?: string;
  resourceProvider?: string;
}

/**
 * Parses the Activity Log `$filter`: `eventTimestamp ge '<t>' [and eventTimestamp le '<t>']` plus at most one of
 * `resourceUri eq`, `resourceId eq`, `resourceGroupName eq`, `correlationId eq`, `resourceProvider eq`.
 */
export function parseActivityFilter(filter: string | null, now: Date): ActivityFilter {
  const fail = (message: string): never => {
    throw new HttpProblem(armError(400, "BadRequest", message));
  };
  if (!filter) return fail("The $filter query parameter is required, with at least 'eventTimestamp ge '<time>''.");
  const out: Partial<ActivityFilter> = {};
  for (const clause of filter.split(/\s+and\s+/i)) {
    const m = /^\s*(\w+)\s+(ge|le|eq)\s+'([^']*)'\s*$/i.exec(clause);
    if (!m) return fail(`The filter clause '${clause.trim()}' is not supported. Use '<field> ge|le|eq '<value>'' joined by 'and'.`);
    const field = (m[1] ?? "").toLowerCase();
    const op = (m[2] ?? "").toLowerCase();
    const value = m[3] ?? "";
    if (field === "eventtimestamp") {
      const t = Date.parse(value);
      if (Number.isNaN(t)) return fail(`'${value}' is not a valid time for eventTimestamp.`);
      if (op === "ge") out.from = t;
      else if (op === "le") out.to = t;
      else return fail("eventTimestamp takes 'ge' and 'le' only.");
      continue;
    }
    if (op !== "eq") return fail(`The field '${m[1] ?? ""}' takes 'eq' only.`);
    if (field === "resourceuri" || field === "resourceid") out.resourceUri = value.toLowerCase();
    else if (field === "resourcegroupname") out.resourceGroup = value.toLowerCase();
    else if (field === "correlationid") out.correlationId = value.toLowerCase();
    else if (field === "resourceprovider") out.resourceProvider = value.toLowerCase();
    else return fail(`The filter field '${m[1] ?? ""}' is not supported by the emulator.`);
  }
  if (out.from === undefined) return fail("The $filter must contain 'eventTimestamp ge '<time>''.");
  const to = out.to ?? now.getTime();
  if (to - out.from > 90 * 86_400_000) return fail("The time window of the query cannot exceed 90 days.");
  return { ...out, from: out.from, to };
}

function activityLog(req: EmuRequest, estate: Estate, sub: string, ctx: RouteContext) {
  const f = parseActivityFilter(req.query.get("$filter"), ctx.now);
  const select = req.query.get("$select");
  const fields = select ? select.split(",").map((s) => s.trim()).filter((s) => s !== "") : undefined;
  const events = estate.events
    .filter((e) => (e.body.subscriptionId as string) === sub)
    .filter((e) => e.at >= f.from && e.at <= f.to)
    .filter((e) => f.resourceUri === undefined || e.resourceId.toLowerCase() === f.resourceUri)
    .filter((e) => f.resourceGroup === undefined || e.resourceGroup.toLowerCase() === f.resourceGroup)
    .filter((e) => f.correlationId === undefined || String(e.body.correlationId).toLowerCase() === f.correlationId)
    .filter((e) => f.resourceProvider === undefined || e.resourceId.toLowerCase().includes(`/providers/${f.resourceProvider}/`))
    .map((e) => (fields ? Object.fromEntries(fields.filter((k) => k in e.body).map((k) => [k, e.body[k]])) : e.body));
  return tokenPage(events, req, ctx, "activityLog");
}
