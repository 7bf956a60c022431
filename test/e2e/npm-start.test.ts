/**
 * `npm start` end to end: the whole demo as a person meets it. It starts `npm start` as a child process,
 * waits for `ready`, checks the bot endpoint and the Agents Playground, opens the Playground in headless
 * Chromium, reads the alert cards in the General channel, asks the bot `diagnose orders-api` there, and
 * finally presses Ctrl-C (SIGINT to the process group) and checks that nothing is left behind.
 *
 * With APIMBOT_UPDATE_SCREENSHOTS=1 it also rewrites docs/images/playground-alerts.png, the README picture.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, isPortFree } from "../../src/dev/free-port";
import { launchChromium } from "../support/chromium";

const ROOT = resolve(__dirname, "../..");
const AZURITE_DEFAULT_PORTS = [10000, 10001, 10002];
const READY_TIMEOUT_MS = 60_000;
const READY_TARGET_S = 30;
const STOP_TIMEOUT_MS = 15_000;
const UI_TIMEOUT_MS = 30_000;
const ARTIFACTS = join(ROOT, "test-artifacts");
const DIAGNOSE_SHOT = join(ARTIFACTS, "playground-diagnose.png");
const README_SHOT = join(ROOT, "docs/images/playground-alerts.png");
const UPDATE_SCREENSHOTS = process.env.APIMBOT_UPDATE_SCREENSHOTS === "1";

/** Alert titles for the planted demo problems, as the General channel must show them. */
const PLANTED = ["5xx spike on orders-api", "TokenAudienceNotAllowed", "stuck in Updating"];

interface Started {
  child: ChildProcess;
  readySeconds: number;
  playgroundUrl: string;
  botPort: number;
  playgroundPort: number;
  azuritePorts: number[];
  emulatorPort: number | undefined;
}

let child: ChildProcess | undefined;
let output = "";
let dataDir: string | undefined;
let browser: BrowserContext | undefined;
let page: Page | undefined;
let started: Started | undefined;
let azuriteDefaultsWereFree = false;
const pushed: string[] = [];

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function lastLines(text: string, n = 40): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

/** Starts `npm start` in its own process group and waits for the line `ready`. */
async function startNpm(botPort: number, playgroundPort: number, data: string): Promise<Started> {
  const startedAt = Date.now();
  const proc = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      APIMBOT_PORT: String(botPort),
      APIMBOT_PLAYGROUND_PORT: String(playgroundPort),
      APIMBOT_DATA_DIR: data,
      // vitest's own global setup points this at its Azurite; npm start must bring its own.
      AzureWebJobsStorage: undefined,
    },
  });
  child = proc;
  proc.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`npm start printed no "ready" line within ${READY_TIMEOUT_MS / 1000} s. Its output:\n${lastLines(output)}`));
    }, READY_TIMEOUT_MS);
    const onData = (): void => {
      if (/^ready$/m.test(output)) {
        cleanup();
        resolveReady();
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`npm start exited (code ${code}, signal ${signal}) before "ready". Its output:\n${lastLines(output)}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      proc.stdout?.off("data", onData);
      proc.off("exit", onExit);
    };
    proc.stdout?.on("data", onData);
    proc.once("exit", onExit);
    onData();
  });
  const readySeconds = (Date.now() - startedAt) / 1000;

  const url = /^Playground: (http:\/\/127\.0\.0\.1:(\d+))\s*$/m.exec(output);
  if (!url) throw new Error(`npm start printed "ready" without a "Playground: http://127.0.0.1:<port>" line. Its output:\n${lastLines(output)}`);
  const moved = /the usual Azurite ports were taken; using (\d+), (\d+), (\d+)/.exec(output);
  const emulator = /emulator: https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
  return {
    child: proc,
    readySeconds,
    playgroundUrl: url[1] as string,
    botPort,
    playgroundPort: Number(url[2]),
    azuritePorts: moved ? moved.slice(1, 4).map(Number) : azuriteDefaultsWereFree ? AZURITE_DEFAULT_PORTS : [],
    emulatorPort: emulator ? Number(emulator[1]) : undefined,
  };
}

/** Every port npm start listened on that this test can hold it to. */
function portsOf(s: Started): { name: string; port: number }[] {
  return [
    { name: "bot endpoint", port: s.botPort },
    { name: "Agents Playground", port: s.playgroundPort },
    ...s.azuritePorts.map((port) => ({ name: "Azurite", port })),
    ...(s.emulatorPort ? [{ name: "APIM estate emulator", port: s.emulatorPort }] : []),
  ];
}

async function openPlayground(url: string): Promise<Page> {
  browser = await launchChromium();
  const p = browser.pages()[0] ?? (await browser.newPage());
  // What the Playground pushes to the page, and what the page reports as errors, kept to explain a failure.
  p.on("pageerror", (err) => pushed.push(`${new Date().toISOString().slice(11, 23)} page error: ${err.message}`));
  p.on("console", (msg) => {
    if (msg.type() === "error") pushed.push(`${new Date().toISOString().slice(11, 23)} console error: ${msg.text().slice(0, 200)}`);
  });
  p.on("websocket", (ws) => {
    ws.on("framereceived", ({ payload }) => {
      const text = String(payload);
      const m = /"action":"(\w+)","actionConversationId":"([^"]+)"/.exec(text);
      if (m) pushed.push(`${new Date().toISOString().slice(11, 23)} ${m[1]} ${m[2]}${text.includes("application/vnd.microsoft.card.adaptive") ? " (card)" : ""}`);
    });
  });
  p.setDefaultTimeout(UI_TIMEOUT_MS);
  await p.goto(url);
  return p;
}

/** The thread (a post and its replies) in the channel whose post contains `text`. */
function threadWith(p: Page, text: string): Locator {
  return p
    .getByText(text)
    .first()
    .locator('xpath=ancestor::*[.//span[normalize-space()="Type a message..."]][1]');
}

describe("npm start", () => {
  beforeAll(async () => {
    azuriteDefaultsWereFree = (await Promise.all(AZURITE_DEFAULT_PORTS.map((p) => isPortFree(p)))).every(Boolean);
    dataDir = mkdtempSync(join(tmpdir(), "apimbot-e2e-data-"));
    const botPort = await freePort();
    let playgroundPort = await freePort();
    while (playgroundPort === botPort) playgroundPort = await freePort();
    started = await startNpm(botPort, playgroundPort, dataDir);
    console.log(`npm start printed "ready" after ${started.readySeconds.toFixed(1)} s (target: under ${READY_TARGET_S} s)`);
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (child?.pid && groupAlive(child.pid)) {
      killGroup(child.pid, "SIGKILL");
      await waitFor("the process group to die", () => !groupAlive(child!.pid!), 5_000).catch(() => {});
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it(`prints "ready" within ${READY_TIMEOUT_MS / 1000} s, on the ports it was given, and listens on them`, async () => {
    const s = started!;
    expect(s.readySeconds).toBeLessThan(READY_TIMEOUT_MS / 1000);
    expect(s.playgroundPort).toBe(Number(new URL(s.playgroundUrl).port));
    for (const { name, port } of portsOf(s)) {
      expect(await isPortFree(port), `${name} should listen on ${port}`).toBe(false);
    }
  });

  it("serves the bot endpoint", async () => {
    const base = `http://127.0.0.1:${started!.botPort}`;
    const health = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(10_000) });
    expect(health.status).toBe(200);
    const probe = await fetch(`${base}/api/messages`, { method: "HEAD", signal: AbortSignal.timeout(10_000) });
    expect(probe.ok).toBe(true);
    expect(probe.headers.get("allow")).toMatch(/POST/);
  });

  it("serves the Agents Playground page", async () => {
    const res = await fetch(`${started!.playgroundUrl}/`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type") ?? "").toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain("Microsoft 365 Agents Playground");
  });

  it("shows an alert card for each planted problem in the General channel", async () => {
    const openedAt = Date.now();
    page = await openPlayground(started!.playgroundUrl);
    await page.getByText("General", { exact: true }).first().click();
    const p = page;
    const seen = await Promise.all(
      PLANTED.map((text) =>
        p
          .locator(".ac-adaptiveCard")
          .filter({ hasText: text })
          .first()
          .waitFor({ state: "visible" })
          .then(() => true, () => false),
      ),
    );
    const missing = PLANTED.filter((_, i) => !seen[i]);
    if (missing.length > 0) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "playground-alerts-failure.png") }).catch(() => {});
      const shown = await page.locator(".ac-adaptiveCard").count();
      throw new Error(
        `the General channel shows ${shown} card(s) but none with: ${missing.join("; ")} ` +
          `(screenshot: test-artifacts/playground-alerts-failure.png). What the Playground pushed to the page, and page errors:\n${pushed.join("\n") || "(nothing)"}` +
          `\nnpm start output:\n${lastLines(output, 25)}`,
      );
    }
    console.log(`alert cards visible in General ${((Date.now() - openedAt) / 1000).toFixed(1)} s after opening the Playground`);
    if (UPDATE_SCREENSHOTS) {
      mkdirSync(resolve(README_SHOT, ".."), { recursive: true });
      await page
        .getByText(PLANTED[0] as string)
        .first()
        .evaluate((el) => (el.closest(".fui-Card") ?? el.closest(".ac-adaptiveCard"))?.scrollIntoView({ block: "start" }));
      await page.screenshot({ path: README_SHOT });
      console.log(`wrote ${README_SHOT}`);
    }
  }, 60_000);

  it("answers `diagnose orders-api` in the channel with a diagnosis card naming the gateway and BackendConnectionFailure", async () => {
    expect(page, "the Playground page opened in the previous test").toBeDefined();
    const p = page!;
    const thread = threadWith(p, PLANTED[0] as string);
    const cards = thread.locator(".ac-adaptiveCard");
    const before = await cards.count();
    expect(before, "the thread of the orders-api alert card holds that card").toBeGreaterThan(0);

    // In a channel, Teams (and the Playground) only hand the bot messages that mention it.
    const box = thread.locator('xpath=.//span[normalize-space()="Type a message..."]/preceding-sibling::*[@role="textbox"]');
    await box.click();
    await p.keyboard.type("@");
    await p.getByRole("menuitem", { name: "Test Bot" }).click();
    await p.keyboard.type(" diagnose orders-api");
    await p.keyboard.press("Enter");

    await thread.getByText("diagnose orders-api").first().waitFor({ state: "visible" });
    await cards.nth(before).waitFor({ state: "visible" });
    const diagnosis = cards.last();
    const text = await diagnosis.innerText();
    expect(text).toMatch(/orders-api/);
    expect(text).toMatch(/gateway/i);
    expect(text).toContain("BackendConnectionFailure");

    mkdirSync(ARTIFACTS, { recursive: true });
    await thread
      .getByText("diagnose orders-api")
      .first()
      .evaluate((el) => {
        // The question at the top of the picture, with a little room above it, and the answer below.
        el.scrollIntoView({ block: "start" });
        let scroller = el.parentElement;
        while (scroller && scroller.scrollHeight <= scroller.clientHeight) scroller = scroller.parentElement;
        scroller?.scrollBy(0, -60);
      });
    await p.screenshot({ path: DIAGNOSE_SHOT });
    console.log(`wrote ${DIAGNOSE_SHOT}`);
  }, 60_000);

  it(`stops everything on Ctrl-C (SIGINT) within ${STOP_TIMEOUT_MS / 1000} s and frees every port`, async () => {
    await browser?.close();
    browser = undefined;
    const s = started!;
    const pid = s.child.pid!;
    const exited = new Promise<void>((r) => (s.child.exitCode !== null || s.child.signalCode !== null ? r() : s.child.once("exit", () => r())));
    const sentAt = Date.now();
    killGroup(pid, "SIGINT");
    await waitFor("npm start to exit after SIGINT", async () => {
      await Promise.race([exited, new Promise((r) => setTimeout(r, 100))]);
      return s.child.exitCode !== null || s.child.signalCode !== null;
    }, STOP_TIMEOUT_MS);
    await waitFor(
      "every process npm start started to exit after SIGINT",
      () => !groupAlive(pid),
      Math.max(1_000, STOP_TIMEOUT_MS - (Date.now() - sentAt)),
    );
    for (const { name, port } of portsOf(s)) {
      expect(await isPortFree(port), `${name} port ${port} should be free again`).toBe(true);
    }
    console.log(`npm start and everything it started exited ${((Date.now() - sentAt) / 1000).toFixed(1)} s after SIGINT`);
  }, STOP_TIMEOUT_MS + 10_000);
});
