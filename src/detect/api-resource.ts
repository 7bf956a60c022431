/**
 * Resolves an `ApiId` metric dimension value to the API resource it names.
 */
import { lastSegment, type InstanceSnapshot } from "../domain/snapshot";

/** The API at fault: its ARM id, id and the name people know it by. */
export interface ApiResource {
  resourceId: string;
  /** API id, the last segment of the ARM id. */
  api: string;
  displayName: string;
  /** `Payments API (payments-api)`, or just the id when the two are the same. */
  label: string;
}

/**
 * The API resource for a metric `ApiId`. When configuration was read, the ARM id comes from it;
 * otherwise it is built from the instance id, which is what ARM would return.
 */
export function apiResource(snapshot: InstanceSnapshot, apiId: string): ApiResource {
  const wanted = apiId.toLowerCase();
  const info = snapshot.config?.apis.find((a) => a.name.toLowerCase() === wanted || lastSegment(a.id).toLowerCase() === wanted);
  if (info) {
    const api = lastSegment(info.id);
    const displayName = info.displayName || info.name;
    return { resourceId: info.id, api, displayName, label: displayName === api ? api : `${displayName} (${api})` };
  }
  return { resourceId: `${snapshot.instance.id}/apis/${apiId}`, api: apiId, displayName: apiId, label: apiId };
}
