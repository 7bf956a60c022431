/**
 * Remediation steps per finding kind and cause, as data. Each step is a sentence template; `{name}`
 * placeholders are filled by `remediation()` with the names of the resources at fault. Facts were
 * checked against Microsoft Learn (validate-jwt policy, APIM error reasons, subscriptions, named values,
 * Key Vault integration, Resource Health); the wording is the project's own.
 */

/** Names a step may mention. Missing ones read as a neutral phrase ("the API"). */
export interface PlaybookNames {
  instance?: string;
  resourceGroup?: string;
  subscriptionId?: string;
  api?: string;
  /** Subscription contract display name or id. */
  contract?: string;
  owner?: string;
  /** Product or API the contract grants, in words. */
  scope?: string;
  /** Expiration date (yyyy-mm-dd). */
  expires?: string;
  namedValue?: string;
  secretIdentifier?: string;
  /** `the system-assigned identity` or `the user-assigned identity <client id>`. */
  identity?: string;
  hostName?: string;
  /** Running or failed ARM operation, e.g. `Microsoft.ApiManagement/service/write`. */
  operation?: string;
  correlationIds?: string;
  timeRange?: string;
  errorCode?: string;
  /** Backend status codes seen, e.g. `502, 503`. */
  backendCodes?: string;
  graceMinutes?: string;
  /** The ARM id of the apimbot identity's scope that lost access. */
  readScope?: string;
}

/** Fallback wording for a name that is not known. */
const FALLBACK: Required<PlaybookNames> = {
  instance: "the API Management instance",
  resourceGroup: "its resource group",
  subscriptionId: "its Azure subscription",
  api: "the API",
  contract: "the subscription",
  owner: "its owner",
  scope: "the product or API it grants",
  expires: "its expiration date",
  namedValue: "the named value",
  secretIdentifier: "the Key Vault secret identifier",
  identity: "the instance's managed identity",
  hostName: "the custom hostname",
  operation: "the running operation",
  correlationIds: "the correlation ids from the Activity Log",
  timeRange: "the time range of the operation",
  errorCode: "the error code",
  backendCodes: "the backend status codes",
  graceMinutes: "a few",
  readScope: "the subscription or resource group",
};

/** One playbook entry: a short name for the situation and its ordered steps. */
export interface PlaybookEntry {
  situation: string;
  steps: string[];
}

/**
 * The playbook, keyed `kind`, `kind:cause` or `kind:variant`. A cause is a `LastErrorReason` or
 * `backend-5xx`; a variant is a situation the detector names (`support-case`, `platform`, `forbidden`).
 */
export const PLAYBOOK: Record<string, PlaybookEntry> = {
  // ---- auth-failure-burst, by LastErrorReason (validate-jwt and subscription key checks) ----
  "auth-failure-burst:TokenAudienceNotAllowed": {
    situation: "audience mismatch",
    steps: [
      "Decode one failing token locally (never paste production tokens into a website) and read its `aud` claim.",
      "Compare it with the `<audiences>` list of the validate-jwt policy on {api} in {instance}: Entra ID v1 tokens carry the Application ID URI (api://...), v2 tokens carry the application (client) id.",
      "Either add the missing audience to the policy, or have the client request a token for the right resource (scope `<app id uri>/.default`); check `accessTokenAcceptedVersion` in the API's app registration if the format changed.",
      "Call {api} once with a fresh token and confirm the 401s stop in the Requests metric.",
    ],
  },
  "auth-failure-burst:TokenExpired": {
    situation: "expired token or clock skew",
    steps: [
      "Decode one failing token locally and compare its `exp` claim with the time of the request: minutes past means the client reuses tokens, seconds past means clock skew.",
      "Have the calling clients refresh tokens before `exp` (the MSAL libraries do this when tokens are taken from their cache on every call) instead of keeping one token for the process lifetime.",
      "Check that the callers' machines synchronise their clocks (NTP); if a small skew is unavoidable, set the `clock-skew` attribute (seconds) on the validate-jwt policy of {api}.",
    ],
  },
  "auth-failure-burst:TokenSignatureKeyNotFound": {
    situation: "unknown signing key",
    steps: [
      "Decode one failing token locally and note its `kid` and `iss`; then open the issuer's `jwks_uri` and check whether that key id is listed.",
      "If it is listed, the identity provider rotated keys: make sure the validate-jwt policy of {api} uses `<openid-config url=\"...\"/>` so API Management refreshes keys itself, rather than a fixed `<issuer-signing-keys>` list that must be edited by hand.",
      "If the application uses its own signing key (claims mapping in Entra ID), the metadata URL must carry `?appid=<client id>`; if the token comes from another tenant or issuer, fix the client's authority instead.",
      "A burst that clears within {graceMinutes} minutes after a rollover needs no change; one that persists will keep rejecting every caller with a new token until the keys are fixed.",
    ],
  },
  "auth-failure-burst:TokenSignatureInvalid": {
    situation: "invalid signature",
    steps: [
      "Check whether the failing tokens come from the expected issuer and environment (a test tenant's token sent to production fails this way).",
      "If the validate-jwt policy of {api} uses `<issuer-signing-keys>` with a symmetric key, confirm it matches the key the issuer signs with (Base64-encoded in the policy) and was not rotated on one side only.",
      "Prefer `<openid-config>` for asymmetric issuers so keys follow the issuer, then retest with a fresh token.",
    ],
  },
  "auth-failure-burst:TokenIssuerNotAllowed": {
    situation: "issuer not allowed",
    steps: [
      "Decode one failing token locally and read its `iss` claim.",
      "Compare it with `<issuers>` in the validate-jwt policy of {api}: Entra ID v1 tokens use https://sts.windows.net/<tenant>/ and v2 tokens https://login.microsoftonline.com/<tenant>/v2.0.",
      "Add the right issuer to the policy, or point the client at the expected tenant and token version, then retest.",
    ],
  },
  "auth-failure-burst:TokenClaimNotFound": {
    situation: "required claim missing",
    steps: [
      "Read the `<required-claims>` section of the validate-jwt policy of {api} and note which claim the failing tokens lack (the gateway log message names it).",
      "For `roles` or `scp`, grant the calling application or user the app role or delegated permission in the API's app registration (and admin consent where needed).",
      "Have the client acquire a new token after the grant; old tokens keep the old claims until they expire.",
    ],
  },
  "auth-failure-burst:TokenClaimValueNotAllowed": {
    situation: "claim value not allowed",
    steps: [
      "Find which claim and value are rejected (the gateway log message names them) and compare with `<required-claims>` in the validate-jwt policy of {api}.",
      "Decide whether the caller should be allowed: if yes, add the value to the policy or grant the role; if not, tell the caller's owner.",
    ],
  },
  "auth-failure-burst:TokenNotPresent": {
    situation: "token not present",
    steps: [
      "Check where the validate-jwt policy of {api} reads the token (`header-name`, `query-parameter-name` or `token-value`) and whether callers send it there, with the `Bearer ` prefix for the Authorization header.",
      "Look for a client release or a proxy in front of {instance} that strips the Authorization header.",
      "If the API should also accept anonymous calls on some operations, scope the validate-jwt policy to the operations that need it.",
    ],
  },
  "auth-failure-burst:JwtInvalid": {
    situation: "malformed or otherwise invalid token",
    steps: [
      "Read the sample error message and check that callers send a complete JWT (three dot-separated parts), not an opaque token or a truncated one.",
      "Confirm the token type the policy expects (an access token for the API, not an ID token or a token for Microsoft Graph).",
    ],
  },
  "auth-failure-burst:SubscriptionKeyNotFound": {
    situation: "missing subscription key",
    steps: [
      "Check that callers send the key in the `Ocp-Apim-Subscription-Key` header or `subscription-key` query parameter, or in the custom names set in {api}'s subscription settings.",
      "If {api} should not need a key (it is protected by a token instead), turn off \"Subscription required\" on the API; otherwise tell the callers which header to send.",
      "Look for a client release or a proxy in front of {instance} that drops the header.",
    ],
  },
  "auth-failure-burst:SubscriptionKeyInvalid": {
    situation: "invalid subscription key",
    steps: [
      "Check the subscriptions of {instance} for a key that was regenerated, or a contract that is suspended, cancelled or expired; the top subscriptions in the evidence point at the caller when gateway logs are available.",
      "Confirm the contract's scope covers {api} (a product that does not include the API, or a key for another API, is rejected the same way).",
      "Give the caller a current key for an active subscription, or reactivate the contract if it was stopped by mistake.",
    ],
  },
  "auth-failure-burst": {
    situation: "authorization failures",
    steps: [
      "Open the gateway logs of {instance} for {api} and read `LastErrorReason` and `LastErrorMessage` of the 401/403 responses.",
      "Compare with the recent changes to the API's policies, keys and identity provider settings, and undo or fix the one that lines up with the start of the burst.",
    ],
  },

  // ---- gateway-5xx-spike, by cause ----
  "gateway-5xx-spike:BackendConnectionFailure": {
    situation: "backend unreachable or TLS failure",
    steps: [
      "From the network of {instance} (a VM in the same VNet, or the API test console with tracing), check that the backend host of {api} resolves in DNS and accepts connections on its port.",
      "Check the backend's TLS certificate: expired, not trusted by API Management, or a name mismatch all fail the connection; fix the certificate rather than turning off chain or name validation.",
      "Check firewalls, NSGs and private endpoints between {instance} and the backend (for VNet-injected instances, the Network status blade lists failing dependencies).",
      "Once the backend answers, watch the 5xx rate fall back to its baseline.",
    ],
  },
  "gateway-5xx-spike:Timeout": {
    situation: "backend timeout",
    steps: [
      "Check the backend of {api} for slow responses or saturation at the time of the spike (CPU, thread pool, database).",
      "Compare the backend latency with the `timeout` of forward-request (300 seconds unless set); lower timeouts in policy make slow backends fail sooner.",
      "Scale or fix the backend first; raise the timeout only for operations that are legitimately long, and consider a circuit breaker on the backend entity.",
    ],
  },
  "gateway-5xx-spike:ExpressionValueEvaluationFailure": {
    situation: "policy expression failure",
    steps: [
      "Find the failing expression: `LastErrorSection`, `LastErrorScope` and `LastErrorMessage` in the gateway logs of {instance} name the policy and section; a traced call in the test console shows it too.",
      "Guard the expression against missing headers, empty bodies and nulls (for example `context.Request.Headers.GetValueOrDefault(...)`), since one unexpected request shape fails every call that hits it.",
      "Redeploy the corrected policy for {api} and confirm the 500s stop.",
    ],
  },
  "gateway-5xx-spike:backend-5xx": {
    situation: "backend returned 5xx",
    steps: [
      "The backend of {api} itself answered with {backendCodes}: open the backend's own logs and health for the time of the spike.",
      "Check for a recent deployment or dependency outage on the backend side and roll back or fail over.",
      "If the backend is overloaded, limit the load at the gateway (rate-limit or a circuit breaker on the backend entity) rather than retrying harder.",
    ],
  },
  "gateway-5xx-spike": {
    situation: "gateway-generated 5xx",
    steps: [
      "Open the gateway logs of {instance} for {api} and read `LastErrorReason`, `LastErrorSource` and `LastErrorMessage` of the 5xx responses.",
      "Trace one failing call in the test console to see which policy or backend call fails, and fix that step.",
    ],
  },

  // ---- provisioning ----
  "provisioning-stuck": {
    situation: "long-running provisioning",
    steps: [
      "Open the Activity Log of {instance} and find {operation}: who started it, when, and its correlation id.",
      "Do not start another infrastructure change meanwhile; API Management accepts one at a time, and the gateway keeps serving during rolling updates on tiers other than Developer.",
      "Classic tiers routinely need 30 to 60 minutes or more for scaling, VNet, custom domain and region changes, longer with many units or regions; v2 and Consumption tiers finish in minutes, so a long wait there is more suspicious.",
      "If it is still running past about two hours, open an Azure support case with the service name, the correlation id and the time range.",
    ],
  },
  "provisioning-stuck:support-case": {
    situation: "provisioning stuck past the support threshold",
    steps: [
      "Open an Azure support case for API Management now: the operation has run far past what the tier normally needs.",
      "Include the service name {instance}, resource group {resourceGroup}, subscription {subscriptionId}, the correlation ids {correlationIds}, and the time range {timeRange}.",
      "Do not retry or start another change on {instance} until support answers; a second operation is rejected while one is running.",
    ],
  },
  "provisioning-failed": {
    situation: "failed provisioning",
    steps: [
      "Read the error of {operation} in the Activity Log of {instance} ({errorCode}); the message names the part that failed.",
      "Fix that cause: common ones are NSG or route rules blocking required VNet dependencies, a custom domain certificate in Key Vault the instance identity cannot read, or a regional capacity or quota limit.",
      "Re-apply the last deployment (template, Bicep or Terraform) of {instance}; a Failed instance often still serves traffic, so check the gateway before planning downtime.",
      "If the error is internal to the platform or repeats after the fix, open a support case with the correlation ids {correlationIds}.",
    ],
  },
  "provisioning-stuck:platform": {
    situation: "platform-side problem",
    steps: [
      "Resource Health reports {instance} as degraded or unavailable: this is on the platform side, not in your configuration.",
      "Check Azure Service Health for an incident in the region, and open a support case with the service name {instance} and correlation ids {correlationIds} if none is listed.",
      "Hold configuration changes to {instance} until Resource Health shows Available again.",
    ],
  },
  "provisioning-failed:platform": {
    situation: "platform-side failure",
    steps: [
      "Resource Health reports {instance} as degraded or unavailable: the failure is on the platform side, not in your configuration.",
      "Check Azure Service Health for the region, then open a support case with the service name {instance}, the error {errorCode} and correlation ids {correlationIds}.",
      "Retry the deployment only after Resource Health shows Available again.",
    ],
  },

  // ---- subscription contracts ----
  "subscription-expiring": {
    situation: "subscription contract expiring",
    steps: [
      "Tell {owner} that {contract} (scope {scope}) reaches its expiration date on {expires}.",
      "Decide with them whether it is still needed: if yes, set a new expiration date on the contract in the Subscriptions blade of {instance}; if not, plan to cancel it and issue a replacement.",
      "Remember that the date alone does not switch the contract off: check which process (automation or an administrator) acts on it, so the callers are not cut off unannounced.",
    ],
  },
  "subscription-expired": {
    situation: "subscription contract expired",
    steps: [
      "Callers using the keys of {contract} on {instance} now get 401 (`SubscriptionKeyInvalid`); check whether any still call.",
      "If the access is still needed, set the contract back to active with a new expiration date in the Subscriptions blade; otherwise tell {owner} to move to a current subscription.",
    ],
  },
  "subscription-suspended": {
    situation: "subscription contract suspended",
    steps: [
      "Confirm with the administrators of {instance} that suspending {contract} (owner {owner}) was intended; its callers get 401 until it is active again.",
      "If it was a mistake, activate the contract in the Subscriptions blade; if it was intended, cancel it so it stops showing up, and tell {owner}.",
    ],
  },

  // ---- certificates and Key Vault ----
  "certificate-expiring": {
    situation: "certificate expiring",
    steps: [
      "Renew the certificate for {hostName} on {instance} before {expires}.",
      "If it comes from Key Vault, put the new version in the same secret and keep the unversioned secret identifier: API Management picks up new versions within about four hours, or at once with a refresh.",
      "If it was uploaded directly, upload the renewed PFX on the Custom domains (or Certificates) blade; on classic tiers this is an infrastructure change that can take 15 minutes or more.",
    ],
  },
  "keyvault-refresh-failed": {
    situation: "Key Vault named value refresh failed",
    steps: [
      "Check that {identity} of {instance} can read secrets in the vault: the Key Vault Secrets User role (RBAC vaults) or a Get/List secret access policy.",
      "Check that the secret at {secretIdentifier} exists, is enabled and not expired, and that the vault firewall lets API Management through (trusted Microsoft services, or the instance's network).",
      "Refresh {namedValue} (Named values blade, or the refreshSecret API) and confirm its status turns to success; policies keep using the last good value until then.",
    ],
  },

  // ---- collection ----
  "collection-failed:forbidden": {
    situation: "apimbot lost read access",
    steps: [
      "apimbot can no longer read {instance}: someone removed or narrowed its role assignment, so it is blind there until access is restored.",
      "On {readScope}, grant the apimbot identity Reader (configuration) and Monitoring Reader (metrics), plus Log Analytics Reader on the gateway log workspace.",
      "Check for a deny assignment, an expired PIM assignment or a moved resource group, then wait for the next sweep to confirm the read works.",
    ],
  },
  "collection-failed:throttled": {
    situation: "apimbot throttled",
    steps: [
      "Azure Resource Manager throttled apimbot's reads of {instance}; the next sweep retries on its own.",
      "If it repeats, lower APIMBOT_CONCURRENCY or widen the sweep schedule, and look for other tools sharing the subscription's read budget.",
    ],
  },
  "collection-failed": {
    situation: "collection failed",
    steps: [
      "Check the error in the evidence: a network or 5xx failure is usually transient and the next sweep retries.",
      "If it repeats, check Azure status for Resource Manager and Monitor in the region, and that {instance} still exists in {resourceGroup}.",
    ],
  },
};

/** Every cause the playbook knows per kind, for tests and docs. */
export function knownCauses(kind: string): string[] {
  const prefix = `${kind}:`;
  return Object.keys(PLAYBOOK).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
}

/** Fills `{name}` placeholders with the given names, falling back to neutral words. */
export function fillStep(template: string, names: PlaybookNames): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (!(key in FALLBACK)) return whole;
    const value = names[key as keyof PlaybookNames];
    return value !== undefined && value !== "" ? value : FALLBACK[key as keyof PlaybookNames];
  });
}

/** The entry for a kind and cause (or variant), falling back to the kind's general entry. */
export function playbookEntry(kind: string, causeOrVariant?: string): PlaybookEntry | undefined {
  if (causeOrVariant) {
    const specific = PLAYBOOK[`${kind}:${causeOrVariant}`];
    if (specific) return specific;
  }
  return PLAYBOOK[kind];
}

/** Ordered remediation steps for a finding, with names filled in. Empty only for an unknown kind. */
export function remediation(kind: string, causeOrVariant: string | undefined, names: PlaybookNames): string[] {
  const entry = playbookEntry(kind, causeOrVariant);
  return entry ? entry.steps.map((s) => fillStep(s, names)) : [];
}
