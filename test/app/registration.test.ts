import { afterEach, describe, expect, it, vi } from "vitest";
import * as functions from "@azure/functions";

/**
 * Each function file must register its trigger with the host (name, schedule or route, auth level) and
 * export the very handler it registered, so the local host and the Functions host run the same code.
 */
describe("function registration", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it("functions/sweep.ts registers a timer on %APIMBOT_SWEEP_SCHEDULE% with its exported handler", async () => {
    const timer = vi.spyOn(functions.app, "timer").mockImplementation(() => {});
    const mod = await import("../../functions/sweep");
    expect(timer).toHaveBeenCalledTimes(1);
    const [name, options] = timer.mock.calls[0] as [string, functions.TimerFunctionOptions];
    expect(name).toBe("sweep");
    expect(options.schedule).toBe("%APIMBOT_SWEEP_SCHEDULE%");
    expect(options.handler).toBe(mod.sweepHandler);
    expect(options.runOnStartup ?? false).toBe(false);
  });

  it("functions/hygiene-report.ts registers a timer on %APIMBOT_REPORT_SCHEDULE% with its exported handler", async () => {
    const timer = vi.spyOn(functions.app, "timer").mockImplementation(() => {});
    const mod = await import("../../functions/hygiene-report");
    const [name, options] = timer.mock.calls[0] as [string, functions.TimerFunctionOptions];
    expect(name).toBe("hygiene-report");
    expect(options.schedule).toBe("%APIMBOT_REPORT_SCHEDULE%");
    expect(options.handler).toBe(mod.hygieneReportHandler);
  });

  it("functions/messages.ts registers POST /api/messages, anonymous at the host, with its exported handler", async () => {
    const http = vi.spyOn(functions.app, "http").mockImplementation(() => {});
    const mod = await import("../../functions/messages");
    const [name, options] = http.mock.calls[0] as [string, functions.HttpFunctionOptions];
    expect(name).toBe("messages");
    expect(options.methods).toEqual(["POST"]);
    expect(options.route).toBe("messages");
    expect(options.authLevel).toBe("anonymous");
    expect(options.handler).toBe(mod.messagesHandler);
  });

  it("the bundle entry imports every function file", async () => {
    const timer = vi.spyOn(functions.app, "timer").mockImplementation(() => {});
    const http = vi.spyOn(functions.app, "http").mockImplementation(() => {});
    await import("../../src/app/functions-entry");
    expect(timer.mock.calls.map((c) => c[0]).sort()).toEqual(["hygiene-report", "sweep"]);
    expect(http.mock.calls.map((c) => c[0])).toEqual(["messages"]);
  });
});
