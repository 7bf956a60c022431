/**
 * Gateway traffic as the collect layer reads it from Azure Monitor and Log Analytics.
 */

/**
 * One cell of the `Requests` metric split by its dimensions, for one time grain.
 * An empty string means the dimension had no value (e.g. no backend was called).
 */
export interface RequestCount {
  /** Start of the time grain, ISO 8601. */
  time: string;
  apiId: string;
  /** `2xx`, `3xx`, `4xx`, `5xx`, `other`. */
  gatewayResponseCodeCategory: string;
  /** e.g. `401`; empty when the query did not split by it. */
  gatewayResponseCode: string;
  /** e.g. `502`; empty when no backend answered. */
  backendResponseCode: string;
  /** e.g. `BackendConnectionFailure`; empty or `None` when there was no error. */
  lastErrorReason: string;
  count: number;
}

/** Aggregated 401/403 gateway log rows for one API and reason (from Log Analytics). */
export interface AuthLogGroup {
  apiId: string;
  lastErrorReason: string;
  responseCode: number;
  count: number;
  /** Top callers, subscriptions and products by count. */
  topCallerIps: { value: string; count: number }[];
  topSubscriptions: { value: string; count: number }[];
  topProducts: { value: string; count: number }[];
  /** A sample `LastErrorMessage`, with anything token-like redacted. */
  sampleMessage?: string;
  firstSeen?: string;
  lastSeen?: string;
}

/** Traffic for one instance over the sweep's window. */
export interface InstanceTelemetry {
  instanceId: string;
  /** Window start and end, ISO 8601; `end` excludes the newest, incomplete minute. */
  from: string;
  to: string;
  /** Grain of {@link requests}, in minutes. */
  intervalMinutes: number;
  requests: RequestCount[];
  /** Which API produced {@link requests}. */
  source: "metrics-batch" | "metrics-arm";
  /** Present when a workspace was queried. */
  authLogs?: {
    table: "ApiManagementGatewayLogs" | "AzureDiagnostics";
    workspaceId: string;
    groups: AuthLogGroup[];
  };
}
