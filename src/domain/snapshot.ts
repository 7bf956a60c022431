/**
 * The project's own picture of an APIM estate, as the collect layer builds it from Azure's REST shapes.
 * Detectors and hygiene rules read only these types. Nothing here holds a secret value: secret named
 * values, keys and tokens are never collected.
 */

/** One `Microsoft.ApiManagement/service` resource. */
export interface ServiceInstance {
  /** ARM id, as ARM spells it (`/subscriptions/.../providers/Microsoft.ApiManagement/service/<name>`). */
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  /** Region as ARM shows it (`West Europe`); compare with {@link sameRegion}. */
  location: string;
  sku: { name: SkuName | string; capacity: number };
  /** `Succeeded`, `Failed`, `Updating`, `Activating`, `Creating`, `Deleting`, `Terminating`, ... */
  provisioningState: string;
  /** The state the running operation is heading to; empty when idle. */
  targetProvisioningState: string;
  /** `stv1`, `stv2`, `stv2.1`, `mtv1`, or undefined when ARM does not say. */
  platformVersion?: string;
  createdAtUtc?: string;
  gatewayUrl?: string;
  developerPortalUrl?: string;
  /** `None`, `External` or `Internal`. */
  virtualNetworkType?: string;
  publicNetworkAccess?: string;
  /** `properties.customProperties`: protocol and cipher switches, values `"true"`/`"True"`/`"false"`. */
  customProperties: Record<string, string>;
  hostnameConfigurations: HostnameConfiguration[];
  /** `SystemAssigned`, `UserAssigned`, `SystemAssigned, UserAssigned`, or `None`. */
  identityType: string;
  zones: string[];
  additionalLocations: { location: string; zones: string[]; skuCapacity?: number }[];
  tags: Record<string, string>;
}

export type SkuName = "Consumption" | "Developer" | "Basic" | "Standard" | "Premium" | "Isolated" | "BasicV2" | "StandardV2" | "PremiumV2";

export interface HostnameConfiguration {
  /** `Proxy`, `Portal`, `Management`, `Scm`, `DeveloperPortal`, `ConfigurationApi`. */
  type: string;
  hostName: string;
  keyVaultId?: string;
  certificateSource?: string;
  defaultSslBinding?: boolean;
  certificate?: { expiry: string; thumbprint: string; subject: string };
}

export interface ApiInfo {
  /** ARM id of the API. */
  id: string;
  /** The API id: last path segment of `id` (may carry `;rev=N`). */
  name: string;
  displayName: string;
  path: string;
  protocols: string[];
  serviceUrl?: string;
  description?: string;
  subscriptionRequired: boolean;
  apiVersion?: string;
  /** ARM id of the version set, when the API is versioned. */
  apiVersionSetId?: string;
  apiRevision?: string;
  isCurrent: boolean;
  /** `http`, `soap`, `graphql`, `websocket`, ... */
  type?: string;
  /** Whether OAuth2/OpenID settings are attached (`authenticationSettings`). */
  hasAuthenticationSettings: boolean;
}

export interface OperationInfo {
  id: string;
  apiName: string;
  name: string;
  displayName: string;
  method: string;
  urlTemplate: string;
}

export interface ProductInfo {
  id: string;
  name: string;
  displayName: string;
  description?: string;
  state: "published" | "notPublished" | string;
  subscriptionRequired: boolean;
  approvalRequired: boolean;
  terms?: string;
  subscriptionsLimit?: number;
  /** API names (ids) in this product. */
  apiNames: string[];
}

export type SubscriptionState = "active" | "suspended" | "submitted" | "rejected" | "cancelled" | "expired";

/** A subscription contract (the keys callers present). Keys are never read. */
export interface SubscriptionContract {
  id: string;
  name: string;
  displayName?: string;
  state: SubscriptionState | string;
  /** Scope as ARM gives it: `/apis`, `/apis/<id>`, `/products/<id>` (possibly fully qualified). */
  scope: string;
  /** Kind and name derived from `scope`. */
  scopeKind: "all-apis" | "api" | "product" | "unknown";
  scopeName?: string;
  /** ARM id of the owning user, if any. */
  ownerId?: string;
  ownerName?: string;
  ownerEmail?: string;
  createdDate?: string;
  startDate?: string;
  expirationDate?: string;
  endDate?: string;
  notificationDate?: string;
  allowTracing?: boolean;
}

export interface UserInfo {
  id: string;
  name: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  state?: string;
}

export type PolicyScope = "global" | "product" | "api" | "operation";

/** A policy document at one scope. */
export interface PolicyDoc {
  /** ARM id of the policy resource. */
  id: string;
  scope: PolicyScope;
  productName?: string;
  apiName?: string;
  operationName?: string;
  /** The policy XML as the service returned it (rawxml preferred; unescaped when read as `xml`). */
  xml: string;
  format: "rawxml" | "xml";
}

export interface BackendInfo {
  id: string;
  name: string;
  url: string;
  protocol: string;
  description?: string;
  resourceId?: string;
  validateCertificateChain?: boolean;
  validateCertificateName?: boolean;
  /** Whether credentials (headers, query, certificate, authorization) are configured. */
  hasCredentials: boolean;
  /** Circuit breaker rules exist. */
  hasCircuitBreaker: boolean;
}

export interface NamedValueInfo {
  id: string;
  name: string;
  displayName: string;
  secret: boolean;
  /**
   * The value of a non-secret named value, kept so rules can spot secret-looking plain values.
   * Secret values are never read (they need listValue, which apimbot never calls).
   */
  value?: string;
  tags: string[];
  keyVault?: {
    secretIdentifier?: string;
    identityClientId?: string;
    lastStatus?: { code?: string; message?: string; timeStampUtc?: string };
  };
}

export interface DiagnosticInfo {
  id: string;
  /** `applicationinsights`, `azuremonitor`, or an API-scoped one. */
  name: string;
  apiName?: string;
  loggerId?: string;
  alwaysLog?: string;
  samplingPercentage?: number;
  samplingType?: string;
  verbosity?: string;
  logClientIp?: boolean;
  /** Headers logged, per direction, e.g. `frontend.request`. */
  headersLogged: Record<string, string[]>;
  /** Body bytes logged per direction (0 when off). */
  bodyBytes: Record<string, number>;
}

export interface LoggerInfo {
  id: string;
  name: string;
  /** `applicationInsights`, `azureMonitor`, `azureEventHub`. */
  loggerType: string;
  resourceId?: string;
  isBuffered?: boolean;
}

export interface PortalRevisionInfo {
  id: string;
  name: string;
  /** `pending`, `publishing`, `completed`, `failed`. */
  status: string;
  isCurrent: boolean;
  createdDateTime?: string;
  updatedDateTime?: string;
  statusDetails?: string;
}

export interface GatewayInfo {
  id: string;
  name: string;
  description?: string;
  location?: string;
}

export interface CertificateInfo {
  id: string;
  name: string;
  subject: string;
  thumbprint: string;
  expirationDate: string;
  keyVaultSecretId?: string;
}

export interface VersionSetInfo {
  id: string;
  name: string;
  displayName: string;
  versioningScheme: string;
}

/** One dependency the `networkstatus` API reports for a VNet-injected instance. */
export interface NetworkDependency {
  location: string;
  name: string;
  resourceType?: string;
  /** `success`, `failure`, `initializing`. */
  status: string;
  isOptional: boolean;
  error?: string;
  lastUpdated?: string;
}

/** Configuration read from an instance's child resources. */
export interface InstanceConfig {
  apis: ApiInfo[];
  operations: OperationInfo[];
  products: ProductInfo[];
  policies: PolicyDoc[];
  backends: BackendInfo[];
  namedValues: NamedValueInfo[];
  diagnostics: DiagnosticInfo[];
  loggers: LoggerInfo[];
  portalRevisions: PortalRevisionInfo[];
  gateways: GatewayInfo[];
  certificates: CertificateInfo[];
  versionSets: VersionSetInfo[];
  networkStatus: NetworkDependency[];
  users: UserInfo[];
}

/** One Activity Log event for the instance. */
export interface ActivityEvent {
  operationName: string;
  /** `Started`, `Accepted`, `Succeeded`, `Failed`, ... */
  status: string;
  subStatus?: string;
  eventTimestamp: string;
  correlationId: string;
  operationId?: string;
  caller?: string;
  /** Error code and message of a failed operation, parsed from `properties.statusMessage`. */
  errorCode?: string;
  errorMessage?: string;
}

export interface ResourceHealth {
  /** `Available`, `Degraded`, `Unavailable`, `Unknown`. */
  availabilityState: string;
  summary?: string;
  reasonType?: string;
  occuredTime?: string;
}

/** Where a Log Analytics workspace receives an instance's gateway logs. */
export interface LogDestination {
  /** ARM id of the workspace. */
  workspaceResourceId: string;
  /** The workspace GUID (`customerId`) used by the query API. */
  workspaceId?: string;
  /** `Dedicated` means `ApiManagementGatewayLogs`; otherwise the legacy `AzureDiagnostics` table. */
  destinationType: "Dedicated" | "AzureDiagnostics";
}

/** What could not be read, and why. It never carries a credential. */
export interface CollectionFailure {
  instanceId: string;
  instance: string;
  /** What was being read: `instance`, `apis`, `metrics`, `logs`, ... */
  part: string;
  /** HTTP status when there was one. */
  status?: number;
  /** A stable code: `Forbidden`, `NotFound`, `Throttled`, `Timeout`, `ServerError`, `MalformedResponse`, `Network`, ... */
  code: string;
  message: string;
  retryable: boolean;
  at: string;
}

/** Everything read about one instance in one sweep. */
export interface InstanceSnapshot {
  instance: ServiceInstance;
  /** When this instance was last read successfully (this sweep, or carried from before). */
  readAt: string;
  /** Child configuration; absent when this sweep did not read it. */
  config?: InstanceConfig;
  /** Subscription contracts; absent when this sweep did not read them (slower cadence). */
  subscriptions?: SubscriptionContract[];
  /** When `subscriptions` were read. */
  subscriptionsReadAt?: string;
  /** Activity Log events (read only for instances not in a terminal state). */
  activity?: ActivityEvent[];
  health?: ResourceHealth;
  logDestinations?: LogDestination[];
  /** Parts that failed for this instance. The rest of the snapshot is still good. */
  failures: CollectionFailure[];
}

/** The whole estate as one sweep read it. */
export interface EstateSnapshot {
  collectedAt: string;
  instances: InstanceSnapshot[];
  /** Failures that lost a whole instance or subscription (no {@link InstanceSnapshot} for them). */
  failures: CollectionFailure[];
}

/** True when two region spellings (`West Europe`, `westeurope`) name the same region. */
export function sameRegion(a: string, b: string): boolean {
  return normalizeRegion(a) === normalizeRegion(b);
}

/** `West Europe` → `westeurope`. */
export function normalizeRegion(region: string): string {
  return region.replace(/\s+/g, "").toLowerCase();
}

/** The last segment of an ARM id. */
export function lastSegment(id: string): string {
  const parts = id.split("/").filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? id;
}
