import type { ApiManagementClient } from "@azure/arm-apimanagement";
import type { CollectionFailure, InstanceConfig, PolicyDoc, ServiceInstance, UserInfo } from "../domain/snapshot";
import { HttpStatusError, type AzureClients } from "./azure-clients";
import {
  fromPolicyBody,
  fromSdkApi,
  fromSdkBackend,
  fromSdkCertificate,
  fromSdkDiagnostic,
  fromSdkGateway,
  fromSdkLogger,
  fromSdkNamedValue,
  fromSdkNetworkStatus,
  fromSdkOperation,
  fromSdkPortalRevision,
  fromSdkProduct,
  fromSdkUser,
  fromSdkVersionSet,
  type PolicyLocation,
} from "./map-config";
import { mapLimit } from "./map-limit";
import { toCollectionFailure } from "./to-collection-failure";

const APIM_API_VERSION = "2024-05-01";
/** Child reads in flight per instance; instances themselves are bounded by the caller. */
const INNER_CONCURRENCY = 4;

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages) out.push(item);
  return out;
}


/** Reads each part on its own, so one denied or broken collection costs only that part. */
class PartReader {
  readonly failures: CollectionFailure[] = [];
  constructor(
    private readonly instance: ServiceInstance,
    private readonly now: Date,
  ) {}

  async read<T>(part: string, fallback: T, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.failures.push(toCollectionFailure(err, { instanceId: this.instance.id, instance: this.instance.name, part, at: this.now }));
      return fallback;
    }
  }
}

/**
 * Reads one policy as `rawxml` with a plain GET that parses the JSON body itself: the SDK's `get`
 * declares an XML response and, against Azure's JSON, loses the value. 404 means no policy there.
 */
async function readPolicy(clients: AzureClients, scopePath: string, where: PolicyLocation): Promise<PolicyDoc | undefined> {
  const id = `${scopePath}/policies/policy`;
  try {
    const body = await clients.armGet(`${id}?api-version=${APIM_API_VERSION}&format=rawxml`);
    return fromPolicyBody(body, where, id);
  } catch (err) {
    if (err instanceof HttpStatusError && err.statusCode === 404) return undefined;
    throw err;
  }
}

const seg = encodeURIComponent;

/** Users of an instance, keyed by user name (lower case), for subscription owners. */
export async function readUsers(apim: ApiManagementClient, instance: ServiceInstance): Promise<UserInfo[]> {
  return (await all(apim.user.listByService(instance.resourceGroup, instance.name))).map(fromSdkUser);
}

/**
 * Reads an instance's child configuration: APIs, operations, products and their APIs, policies at
 * global, product, API and operation scope, backends, named values, diagnostics, loggers, portal
 * revisions, gateways, certificates, version sets, network status (VNet instances) and users.
 */
export async function readConfig(clients: AzureClients, instance: ServiceInstance, now: Date): Promise<{ config: InstanceConfig; failures: CollectionFailure[] }> {
  const apim = clients.apim(instance.subscriptionId);
  const rg = instance.resourceGroup;
  const svc = instance.name;
  const reader = new PartReader(instance, now);
  const base = instance.id;

  const [apisRaw, productsRaw, backends, namedValues, serviceDiagnostics, loggers, portalRevisions, gateways, certificates, versionSets, users] = await Promise.all([
    reader.read("apis", [], () => all(apim.api.listByService(rg, svc))),
    reader.read("products", [], () => all(apim.product.listByService(rg, svc))),
    reader.read("backends", [], async () => (await all(apim.backend.listByService(rg, svc))).map(fromSdkBackend)),
    reader.read("namedValues", [], async () => (await all(apim.namedValue.listByService(rg, svc))).map(fromSdkNamedValue)),
    reader.read("diagnostics", [], async () => (await all(apim.diagnostic.listByService(rg, svc))).map((d) => fromSdkDiagnostic(d))),
    reader.read("loggers", [], async () => (await all(apim.logger.listByService(rg, svc))).map(fromSdkLogger)),
    reader.read("portalRevisions", [], async () => (await all(apim.portalRevision.listByService(rg, svc))).map(fromSdkPortalRevision)),
    reader.read("gateways", [], async () => (await all(apim.gateway.listByService(rg, svc))).map(fromSdkGateway)),
    reader.read("certificates", [], async () => (await all(apim.certificate.listByService(rg, svc))).map(fromSdkCertificate)),
    reader.read("versionSets", [], async () => (await all(apim.apiVersionSet.listByService(rg, svc))).map(fromSdkVersionSet)),
    reader.read("users", [], () => readUsers(apim, instance)),
  ]);

  // Network status only means something for VNet-injected instances; others answer with an error.
  const vnet = instance.virtualNetworkType === "External" || instance.virtualNetworkType === "Internal";
  const networkStatus = vnet ? await reader.read("networkStatus", [], async () => fromSdkNetworkStatus(await apim.networkStatus.listByService(rg, svc))) : [];

  const apis = apisRaw.map(fromSdkApi);
  const perApi = await mapLimit(apis, INNER_CONCURRENCY, async (api) => {
    const operations = await reader.read("operations", [], async () => (await all(apim.apiOperation.listByApi(rg, svc, api.name))).map((o) => fromSdkOperation(o, api.name)));
    const diagnostics = await reader.read("diagnostics", [], async () => (await all(apim.apiDiagnostic.listByService(rg, svc, api.name))).map((d) => fromSdkDiagnostic(d, api.name)));
    const apiPath = `${base}/apis/${seg(api.name)}`;
    const apiPolicy = await reader.read("policies", undefined, () => readPolicy(clients, apiPath, { scope: "api", apiName: api.name }));
    const opPolicies = await mapLimit(operations, INNER_CONCURRENCY, (op) =>
      reader.read("policies", undefined, () => readPolicy(clients, `${apiPath}/operations/${seg(op.name)}`, { scope: "operation", apiName: api.name, operationName: op.name })),
    );
    return { operations, diagnostics, policies: [apiPolicy, ...opPolicies].filter((p): p is PolicyDoc => p !== undefined) };
  });

  const perProduct = await mapLimit(productsRaw, INNER_CONCURRENCY, async (p) => {
    const name = p.name ?? "";
    const apiNames = await reader.read("productApis", [], async () => (await all(apim.productApi.listByProduct(rg, svc, name))).map((a) => a.name ?? ""));
    const policy = await reader.read("policies", undefined, () => readPolicy(clients, `${base}/products/${seg(name)}`, { scope: "product", productName: name }));
    return { product: fromSdkProduct(p, apiNames), policy };
  });

  const globalPolicy = await reader.read("policies", undefined, () => readPolicy(clients, base, { scope: "global" }));

  const policies: PolicyDoc[] = [
    ...(globalPolicy ? [globalPolicy] : []),
    ...perProduct.flatMap((p) => (p.policy ? [p.policy] : [])),
    ...perApi.flatMap((a) => a.policies),
  ];
  const config: InstanceConfig = {
    apis,
    operations: perApi.flatMap((a) => a.operations),
    products: perProduct.map((p) => p.product),
    policies,
    backends,
    namedValues,
    diagnostics: [...serviceDiagnostics, ...perApi.flatMap((a) => a.diagnostics)],
    loggers,
    portalRevisions,
    gateways,
    certificates,
    versionSets,
    networkStatus,
    users,
  };
  return { config, failures: reader.failures };
}
