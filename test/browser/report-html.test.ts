import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { createApp } from "../../src/app/create-app";
import { createRuntime, type Runtime } from "../../src/app/runtime";
import { memoryLogger } from "../../src/domain/logger";
import { launchChromium } from "../support/chromium";

const ARTIFACTS = join(__dirname, "../../test-artifacts");

describe("the HTML hygiene report in a browser", () => {
  let runtime: Runtime;
  let browser: BrowserContext;

  beforeAll(async () => {
    runtime = await createRuntime({ env: { AzureWebJobsStorage: inject("storageConnectionString") }, log: memoryLogger(), scenario: join(__dirname, "../../scenarios/demo.json") });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.close();
  });

  it("renders offline with its counts, its trend chart and the planted problems, and no failed request", async () => {
    const app = await createApp(runtime, { tablePrefix: `t${randomBytes(4).toString("hex")}` });
    const outcome = await app.report({ post: false, save: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, "report.html");
    writeFileSync(file, outcome.html);

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    const text = await page.locator("body").innerText();
    expect(text).toContain("APIM.Policy.MissingBase");
    expect(text).toContain("APIM.Backend.TlsValidationOff");
    expect(text).toMatch(new RegExp(`${outcome.model.totals.total}`));
    const chart = page.locator("svg").first();
    await expect.poll(async () => (await chart.boundingBox())?.width ?? 0).toBeGreaterThan(200);
    expect(requests, "the page loads nothing from the network").toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
  });
});
