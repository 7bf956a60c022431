import { describe, expect, it } from "vitest";
import { provisioningDetector } from "../../src/detect/provisioning";
import { fingerprint } from "../../src/domain/fingerprint";
import { activity, ago, context, estate, instance, NOW, prior, snapshot } from "./fixtures";

const updating = { provisioningState: "Updating", targetProvisioningState: "Succeeded" };
const premium = instance("core-apim-prod", { ...updating, sku: { name: "Premium", capacity: 3 } });
const v2 = instance("edge-apim-prod", { ...updating, sku: { name: "StandardV2", capacity: 1 } });

function detect(...snaps: ReturnType<typeof snapshot>[]) {
  return provisioningDetector.detect(context({ estate: estate(...snaps) }));
}

describe("provisioning-stuck", () => {
  it("leaves a Premium instance updating for 40 minutes alone, but alerts on a StandardV2 doing the same", () => {
    const found = detect(snapshot(premium, { activity: [activity("Started", 40)] }), snapshot(v2, { activity: [activity("Started", 40)] }));
    expect(found.map((d) => d.instance)).toEqual(["edge-apim-prod"]);
    const [d] = found;
    expect(d?.kind).toBe("provisioning-stuck");
    expect(d?.severity).toBe("warning");
    expect(d?.id).toBe(fingerprint("provisioning-stuck", v2.id));
    expect(d?.title).toBe("edge-apim-prod stuck in Updating for 40 min (StandardV2, warns after 15 min)");
    expect(d?.summary).toContain("normally finishes in minutes");
    expect(d?.evidence.sinceSource).toBe("activity-log");
    expect(d?.portalUrl).toBe(`https://portal.azure.com/#@/resource${v2.id}/activitylog`);
  });

  it("raises severity with age and, past two hours, asks for a support case with name, correlation ids and time range", () => {
    const [at70] = detect(snapshot(premium, { activity: [activity("Started", 70)] }));
    expect(at70?.severity).toBe("warning");
    expect(at70?.evidence.supportCase).toBeNull();
    const [at150] = detect(snapshot(premium, { activity: [activity("Accepted", 150), activity("Started", 149)] }));
    expect(at150?.severity).toBe("critical");
    expect(at150?.summary).toContain("open a support case");
    expect(at150?.evidence.supportCase).toEqual({
      serviceName: "core-apim-prod",
      resourceId: premium.id,
      correlationIds: ["7d9f0c1a-1b2c-4d5e-8f90-a1b2c3d4e5f6"],
      timeRange: `${ago(150)} to ${NOW.toISOString()}`,
    });
    expect(at150?.remediation[0]).toContain("support case");
    expect(at150?.remediation[1]).toContain("core-apim-prod");
    expect(at150?.remediation[1]).toContain("7d9f0c1a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
    // The id stays the same as severity rises, so triage reports an escalation, not a new alert.
    expect(at150?.id).toBe(at70?.id);
  });

  it("counts from the first sweep that saw the state when the Activity Log has nothing", () => {
    const memory = prior([], [{ instanceId: v2.id, instance: v2.name, provisioningState: "Updating", stateSince: ago(50) }]);
    const [d] = provisioningDetector.detect(context({ estate: estate(snapshot(v2)), prior: memory }));
    expect(d?.evidence.sinceSource).toBe("first-seen");
    expect(d?.evidence.minutes).toBe(50);
    expect(d?.severity).toBe("critical");
  });

  it("starts the clock now when nothing says otherwise, so a first sighting never alerts", () => {
    expect(detect(snapshot(v2))).toEqual([]);
    const stale = prior([], [{ instanceId: v2.id, instance: v2.name, provisioningState: "Activating", stateSince: ago(300) }]);
    expect(provisioningDetector.detect(context({ estate: estate(snapshot(v2)), prior: stale }))).toEqual([]);
  });

  it("ignores operations that already ended and instances at rest", () => {
    const ended = [activity("Started", 90, { correlationId: "c-1" }), activity("Succeeded", 30, { correlationId: "c-1" })];
    expect(detect(snapshot(instance("idle-apim", { sku: { name: "BasicV2", capacity: 1 } }), { activity: ended }))).toEqual([]);
  });

  it("says platform side, not your configuration, when Resource Health is degraded", () => {
    const [d] = detect(snapshot(v2, { activity: [activity("Started", 30)], health: { availabilityState: "Degraded", summary: "We're sorry, your API Management service is degraded" } }));
    expect(d?.summary).toContain("platform side, not your configuration");
    expect(d?.remediation[0]).toContain("not in your configuration");
    expect(d?.portalUrl).toContain("/resourcehealth");
  });
});

describe("provisioning-failed", () => {
  it("carries the failed operation's error code and message from the Activity Log", () => {
    const failed = instance("legacy-apim", { provisioningState: "Failed", sku: { name: "Developer", capacity: 1 } });
    const events = [
      activity("Started", 95, { correlationId: "e2f1" }),
      activity("Failed", 20, { correlationId: "e2f1", errorCode: "InvalidParameters", errorMessage: "Subnet 'apim' must have NSG rules allowing port 3443 from ApiManagement." }),
    ];
    const [d] = detect(snapshot(failed, { activity: events }));
    expect(d?.kind).toBe("provisioning-failed");
    expect(d?.severity).toBe("critical");
    expect(d?.cause).toBe("InvalidParameters");
    expect(d?.title).toBe("legacy-apim provisioning failed with InvalidParameters (Developer)");
    expect(d?.summary).toContain("port 3443");
    expect(d?.evidence.correlationIds).toEqual(["e2f1"]);
    expect(d?.evidence.startedAt).toBe(ago(95));
    expect(d?.remediation[0]).toContain("InvalidParameters");
  });

  it("still reports a failed instance whose Activity Log was not read", () => {
    const [d] = detect(snapshot(instance("legacy-apim", { provisioningState: "Failed" })));
    expect(d?.kind).toBe("provisioning-failed");
    expect(d?.summary).toContain("did not say why");
    expect(d?.remediation.length).toBeGreaterThanOrEqual(2);
  });
});
