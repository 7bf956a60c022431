import { describe, expect, it } from "vitest";
import { collectionDetector } from "../../src/detect/collection";
import { fingerprint } from "../../src/domain/fingerprint";
import type { CollectionFailure } from "../../src/domain/snapshot";
import { context, estate, instance, NOW, prior, snapshot } from "./fixtures";

const inst = instance("claims-apim", { resourceGroup: "rg-claims" });
const forbidden = (part: string): CollectionFailure => ({
  instanceId: inst.id,
  instance: inst.name,
  part,
  status: 403,
  code: "AuthorizationFailed",
  message: "The client does not have authorization to perform action 'Microsoft.ApiManagement/service/read'.",
  retryable: false,
  at: NOW.toISOString(),
});

describe("collection-failed", () => {
  it("says a role was removed when an instance read fine before and now answers 403", () => {
    const memory = prior([], [{ instanceId: inst.id, instance: inst.name, lastReadOk: "2026-03-10T11:55:00.000Z" }]);
    const e = { ...estate(), failures: [forbidden("instance")] };
    const [d] = collectionDetector.detect(context({ estate: e, prior: memory }));
    expect(d?.id).toBe(fingerprint("collection-failed", inst.id));
    expect(d?.severity).toBe("critical");
    expect(d?.resourceGroup).toBe("rg-claims");
    expect(d?.subscriptionId).toBe(inst.subscriptionId);
    expect(d?.title).toBe("apimbot lost access to claims-apim: 403 AuthorizationFailed reading instance, last read OK 2026-03-10T11:55:00.000Z");
    expect(d?.summary).toContain("someone removed or narrowed apimbot's role assignment");
    expect(d?.summary).toContain("blind");
    expect(d?.evidence.lastReadOk).toBe("2026-03-10T11:55:00.000Z");
    expect(d?.remediation.join(" ")).toContain("Monitoring Reader");
    expect(d?.portalUrl).toBe(`https://portal.azure.com/#@/resource${inst.id}/users`);
  });

  it("does not claim a removed role when the instance was never read", () => {
    const [d] = collectionDetector.detect(context({ estate: { ...estate(), failures: [forbidden("instance")] } }));
    expect(d?.summary).toContain("never read it successfully");
    expect(d?.summary).not.toContain("removed");
  });

  it("groups partial failures into one finding per instance, gentler than losing the instance", () => {
    const timeout: CollectionFailure = { instanceId: inst.id, instance: inst.name, part: "metrics", code: "Timeout", message: "metrics batch timed out after 30 s", retryable: true, at: NOW.toISOString() };
    const found = collectionDetector.detect(context({ estate: estate(snapshot(inst, { failures: [timeout, { ...timeout, part: "logs" }] })) }));
    expect(found).toHaveLength(1);
    expect(found[0]?.severity).toBe("info");
    expect(found[0]?.title).toBe("apimbot could not read metrics, logs of claims-apim (Timeout)");
    expect(found[0]?.summary).toContain("next sweep retries");
  });

  it("reports nothing when every read succeeded", () => {
    expect(collectionDetector.detect(context({ estate: estate(snapshot(inst)) }))).toEqual([]);
  });
});
