import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app/create-app";
import type { Runtime } from "../../src/app/runtime";
import { demoRuntime, freshTablePrefix } from "../support/demo";
import { demoAppOptions } from "../../src/dev/demo-options";
import type { Finding } from "../../src/domain/finding";

/**
 * `npm start` promises a live demo: the inventory-api incident planted a minute after start arrives,
 * escalates and resolves while someone watches. This walks the same app through the first 15 minutes
 * in 30-second sweeps, as the demo timer does.
 */
describe("the live demo incident", () => {
  let runtime: Runtime;
  let app: App;

  beforeAll(async () => {
    runtime = await demoRuntime();
    app = await createApp(runtime, demoAppOptions(runtime.settings, freshTablePrefix()));
  });

  afterAll(async () => {
    await runtime?.close();
  });

  it("arrives within a few minutes, escalates, and resolves within fifteen", async () => {
    const timeline: { minute: number; change: string; severity: string; status: string }[] = [];
    for (let step = 0; step <= 30; step++) {
      const findings: Finding[] = (await app.sweep({ post: false })).findings;
      const spike = findings.find((f) => f.kind === "gateway-5xx-spike" && f.api === "inventory-api");
      if (spike) timeline.push({ minute: step / 2, change: spike.change, severity: spike.severity, status: spike.status });
      runtime.emulator?.clock.advance(30_000);
    }
    if (process.env.APIMBOT_DEBUG === "1") console.log(JSON.stringify(timeline));
    const first = timeline.find((t) => t.change === "new");
    const escalated = timeline.find((t) => t.change === "escalated");
    const resolved = timeline.find((t) => t.change === "resolved");
    expect(first, JSON.stringify(timeline)).toBeDefined();
    expect(first?.minute).toBeLessThanOrEqual(4);
    expect(first?.severity).toBe("warning");
    expect(escalated?.severity).toBe("critical");
    expect(escalated!.minute).toBeGreaterThan(first!.minute);
    expect(resolved?.status).toBe("resolved");
    expect(resolved!.minute).toBeGreaterThan(escalated!.minute);
    expect(resolved!.minute).toBeLessThanOrEqual(15);
  }, 120_000);
});
