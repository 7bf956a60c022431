/**
 * One card per instance per sweep: notifications grouped by the instance they concern.
 */
import { SEVERITY_RANK } from "../domain/finding";
import type { Notification } from "./triage";

/** Notifications for one instance. */
export interface NotificationGroup {
  instanceId: string;
  instance: string;
  notifications: Notification[];
}

/** Most severe first; resolutions after what still fires; then by id, so output is stable. */
export function compareNotifications(a: Notification, b: Notification): number {
  const resolved = Number(a.reason === "resolved") - Number(b.reason === "resolved");
  if (resolved !== 0) return resolved;
  const severity = SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity];
  if (severity !== 0) return severity;
  return a.finding.id.localeCompare(b.finding.id);
}

/** Groups by instance id (compared case-insensitively, as ARM ids are), ordered by instance name. */
export function groupByInstance(notifications: readonly Notification[]): NotificationGroup[] {
  const groups = new Map<string, NotificationGroup>();
  for (const n of notifications) {
    const key = n.finding.instanceId.toLowerCase();
    let group = groups.get(key);
    if (!group) {
      group = { instanceId: n.finding.instanceId, instance: n.finding.instance, notifications: [] };
      groups.set(key, group);
    }
    group.notifications.push(n);
  }
  const out = [...groups.values()];
  for (const g of out) g.notifications.sort(compareNotifications);
  return out.sort((a, b) => a.instance.localeCompare(b.instance) || a.instanceId.localeCompare(b.instanceId));
}
