import type { EventData } from "@azure/arm-monitor";
import type { ActivityEvent, ServiceInstance } from "../domain/snapshot";
import type { AzureClients } from "./azure-clients";
import { safeMessage } from "./to-collection-failure";

/** How far back the Activity Log is read: long enough to find the start of a slow classic-tier update. */
export const ACTIVITY_LOOKBACK_HOURS = 24;

/** Error code and message from an event's `properties.statusMessage` (a JSON string, sometimes nested). */
export function parseStatusMessage(statusMessage: string | undefined): { code?: string; message?: string } {
  if (!statusMessage) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(statusMessage);
  } catch {
    return { message: safeMessage(statusMessage) };
  }
  const root = (parsed ?? {}) as { error?: unknown; code?: unknown; message?: unknown };
  const err = (typeof root.error === "object" && root.error !== null ? root.error : root) as { code?: unknown; message?: unknown; details?: unknown };
  const details = Array.isArray(err.details) ? (err.details[0] as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof err.code === "string" ? err.code : typeof details?.code === "string" ? details.code : undefined;
  const message = typeof err.message === "string" ? err.message : typeof details?.message === "string" ? details.message : undefined;
  return { ...(code ? { code } : {}), ...(message ? { message: safeMessage(message) } : {}) };
}

/** SDK Activity Log event → {@link ActivityEvent}; undefined when it has no timestamp. */
export function fromSdkEvent(e: EventData): ActivityEvent | undefined {
  const at = e.eventTimestamp instanceof Date && !Number.isNaN(e.eventTimestamp.getTime()) ? e.eventTimestamp.toISOString() : undefined;
  if (!at) return undefined;
  const event: ActivityEvent = {
    operationName: e.operationName?.value ?? "",
    status: e.status?.value ?? "",
    eventTimestamp: at,
    correlationId: e.correlationId ?? "",
  };
  if (e.subStatus?.value) event.subStatus = e.subStatus.value;
  if (e.operationId) event.operationId = e.operationId;
  if (e.caller) event.caller = e.caller;
  const { code, message } = parseStatusMessage(e.properties?.statusMessage);
  if (code) event.errorCode = code;
  if (message) event.errorMessage = message;
  return event;
}

/** The Activity Log `$filter` for one resource over a time range. */
export function activityFilter(resourceId: string, from: Date, to: Date): string {
  return `eventTimestamp ge '${from.toISOString()}' and eventTimestamp le '${to.toISOString()}' and resourceUri eq '${resourceId.replace(/'/g, "''")}'`;
}

/** Reads the instance's Activity Log events of the last day, oldest first. */
export async function readActivity(clients: AzureClients, instance: ServiceInstance, now: Date): Promise<ActivityEvent[]> {
  const from = new Date(now.getTime() - ACTIVITY_LOOKBACK_HOURS * 3600_000);
  const out: ActivityEvent[] = [];
  const select = "operationName,status,subStatus,eventTimestamp,correlationId,operationId,caller,properties,resourceId";
  for await (const e of clients.monitor(instance.subscriptionId).activityLogs.list(activityFilter(instance.id, from, now), { select })) {
    const event = fromSdkEvent(e);
    if (event) out.push(event);
  }
  return out.sort((a, b) => a.eventTimestamp.localeCompare(b.eventTimestamp));
}
