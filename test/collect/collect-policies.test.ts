import { createHttpHeaders, createPipelineRequest, RestError, type PipelineResponse } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { ArmPacer, subscriptionOfUrl } from "../../src/collect/arm-pacer";
import { callName } from "../../src/collect/call-name";
import { countingPolicy, retryPolicy, type CallCounter } from "../../src/collect/collect-policies";
import { classifyError, collapseFailures, toCollectionFailure } from "../../src/collect/to-collection-failure";
import { memoryLogger } from "../../src/domain/logger";

const ARM = "https://management.azure.com";
const SVC = `${ARM}/subscriptions/6b1f3c2e-8d4a-4e57-9a10-2f3e4d5c6b7a/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-shop`;
const fast = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 2_000, timeoutMs: 200 };

function answer(status: number, headers: Record<string, string> = {}): PipelineResponse {
  const request = createPipelineRequest({ url: SVC });
  return { status, headers: createHttpHeaders(headers), request, bodyAsText: "{}" };
}

describe("retryPolicy", () => {
  it("honours Retry-After on 429 and then succeeds", async () => {
    const counter: CallCounter = {};
    const seen: number[] = [];
    const replies = [answer(429, { "retry-after": "1" }), answer(200)];
    const policy = retryPolicy(fast, counter, memoryLogger());
    const started = Date.now();
    const res = await policy.sendRequest(createPipelineRequest({ url: `${SVC}/apis` }), async () => {
      seen.push(Date.now());
      return replies.shift()!;
    });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[1]! - started).toBeGreaterThanOrEqual(950);
    expect(counter).toMatchObject({ retries: 1, throttled: 1 });
  });

  it("retries thrown 500s and dropped connections, but not a 403", async () => {
    const errors: unknown[] = [new RestError("boom", { statusCode: 500 }), new RestError("socket hang up", { code: "ECONNRESET" })];
    const policy = retryPolicy(fast, {}, memoryLogger());
    let calls = 0;
    const ok = await policy.sendRequest(createPipelineRequest({ url: SVC }), async () => {
      calls++;
      const e = errors.shift();
      if (e) throw e;
      return answer(200);
    });
    expect(ok.status).toBe(200);
    expect(calls).toBe(3);

    let denied = 0;
    const res = await policy.sendRequest(createPipelineRequest({ url: SVC }), async () => {
      denied++;
      return answer(403);
    });
    expect(res.status).toBe(403);
    expect(denied).toBe(1);
  });

  it("gives up after the retry budget and on a Retry-After longer than allowed", async () => {
    const policy = retryPolicy(fast, {}, memoryLogger());
    let calls = 0;
    const res = await policy.sendRequest(createPipelineRequest({ url: SVC }), async () => {
      calls++;
      return answer(503);
    });
    expect(res.status).toBe(503);
    expect(calls).toBe(4);
    calls = 0;
    const throttled = await policy.sendRequest(createPipelineRequest({ url: SVC }), async () => {
      calls++;
      return answer(429, { "retry-after": "3600" });
    });
    expect(throttled.status).toBe(429);
    expect(calls).toBe(1);
  });

  it("turns a hung attempt into a Timeout after retrying it", async () => {
    const policy = retryPolicy({ ...fast, maxRetries: 1, timeoutMs: 50 }, {}, memoryLogger());
    let calls = 0;
    const attempt = policy.sendRequest(createPipelineRequest({ url: SVC }), (req) => {
      calls++;
      return new Promise((_, reject) => req.abortSignal?.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }))));
    });
    await expect(attempt).rejects.toMatchObject({ code: "Timeout" });
    expect(calls).toBe(2);
  });
});

describe("call accounting", () => {
  it("names each Azure API", () => {
    expect(callName(`${ARM}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`)).toBe("resourcegraph");
    expect(callName(`${SVC}?api-version=2024-05-01`)).toBe("arm.apim.service");
    expect(callName(`${ARM}/subscriptions/s/providers/Microsoft.ApiManagement/service?api-version=2024-05-01`)).toBe("arm.apim.service");
    expect(callName(`${SVC}/apis/orders/operations/get/policies/policy?format=rawxml`)).toBe("arm.apim.apis.operations.policies");
    expect(callName(`${SVC}/subscriptions?api-version=2024-05-01`)).toBe("arm.apim.subscriptions");
    expect(callName(`https://westeurope.metrics.monitor.azure.com/subscriptions/s/metrics:getBatch?metricnamespace=x`)).toBe("metrics.batch");
    expect(callName(`${ARM}/${SVC.slice(ARM.length)}/providers/Microsoft.Insights/metrics?api-version=2018-01-01`)).toBe("metrics.arm");
    expect(callName("https://api.loganalytics.azure.com/v1/workspaces/11111111-0000-0000-0000-000000000001/query")).toBe("logs.query");
    expect(callName(`${ARM}/subscriptions/s/providers/Microsoft.Insights/eventtypes/management/values?$filter=x`)).toBe("activitylog");
    expect(callName(`${SVC}/providers/Microsoft.ResourceHealth/availabilityStatuses/current`)).toBe("health");
    expect(callName(`${SVC}/providers/Microsoft.Insights/diagnosticSettings`)).toBe("diagnosticsettings");
  });

  it("counts every attempt by API", async () => {
    const counter: CallCounter = {};
    const policy = countingPolicy(counter);
    await policy.sendRequest(createPipelineRequest({ url: `${SVC}/apis` }), async () => answer(200));
    await policy.sendRequest(createPipelineRequest({ url: `${SVC}/apis?$skip=100` }), async () => answer(200));
    expect(counter).toEqual({ "arm.apim.apis": 2 });
  });

  it("paces ARM calls under a token bucket per subscription", () => {
    let t = 0;
    const pacer = new ArmPacer(3, 1, () => t);
    expect([pacer.tryTake("a"), pacer.tryTake("a"), pacer.tryTake("a")]).toEqual([0, 0, 0]);
    expect(pacer.tryTake("a")).toBe(1000);
    expect(pacer.tryTake("b")).toBe(0);
    t = 1000;
    expect(pacer.tryTake("a")).toBe(0);
    expect(subscriptionOfUrl(`${SVC}/apis`)).toBe("6b1f3c2e-8d4a-4e57-9a10-2f3e4d5c6b7a");
    expect(subscriptionOfUrl(`${ARM}/providers/Microsoft.ResourceGraph/resources`)).toBe("tenant");
  });
});

describe("failure records", () => {
  it("classifies what the SDKs throw into stable codes", () => {
    expect(classifyError(new RestError("denied", { statusCode: 403 }))).toMatchObject({ code: "Forbidden", status: 403, retryable: false });
    expect(classifyError(new RestError("slow down", { statusCode: 429 }))).toMatchObject({ code: "Throttled", retryable: true });
    expect(classifyError(new RestError("oops", { statusCode: 502 }))).toMatchObject({ code: "ServerError", retryable: true });
    expect(classifyError(new RestError("bad json", { code: "PARSE_ERROR", statusCode: 200 }))).toMatchObject({ code: "MalformedResponse" });
    expect(classifyError(new SyntaxError("Unexpected token < in JSON"))).toMatchObject({ code: "MalformedResponse" });
    expect(classifyError(new RestError("connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" }))).toMatchObject({ code: "Network", retryable: true });
    expect(classifyError(new RestError("self-signed certificate", { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }))).toMatchObject({ code: "TlsUntrusted", retryable: false });
    expect(classifyError("weird")).toMatchObject({ code: "Unknown", message: "weird" });
    expect(classifyError(undefined)).toMatchObject({ code: "Unknown", message: "unknown error" });
  });

  it("never carries a token in the message", () => {
    const f = toCollectionFailure(new RestError("The access token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln is invalid; Authorization: Bearer abc", { statusCode: 401 }), {
      instanceId: SVC,
      instance: "apim-shop",
      part: "apis",
      at: new Date("2026-11-27T10:00:00Z"),
    });
    expect(f).toMatchObject({ code: "Unauthorized", status: 401, part: "apis", at: "2026-11-27T10:00:00.000Z" });
    expect(f.message).not.toMatch(/eyJ|Bearer abc/);
  });

  it("folds repeated failures of one part into one record", () => {
    const at = new Date("2026-11-27T10:00:00Z");
    const ctx = (part: string) => ({ instanceId: SVC, instance: "apim-shop", part, at });
    const folded = collapseFailures([
      toCollectionFailure(new RestError("boom", { statusCode: 500 }), ctx("policies")),
      toCollectionFailure(new RestError("boom", { statusCode: 500 }), ctx("policies")),
      toCollectionFailure(new RestError("boom", { statusCode: 500 }), ctx("policies")),
      toCollectionFailure(new RestError("denied", { statusCode: 403 }), ctx("policies")),
      toCollectionFailure(new RestError("boom", { statusCode: 500 }), ctx("backends")),
    ]);
    expect(folded.map((f) => [f.part, f.code, f.message])).toEqual([
      ["policies", "ServerError", "boom (3 reads of policies failed this way)"],
      ["policies", "Forbidden", "denied"],
      ["backends", "ServerError", "boom"],
    ]);
  });
});
