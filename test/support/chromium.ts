import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's Chromium, which `.ci/run` installs; tests never download a browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** Headless Chromium with a fresh profile and no background network traffic. */
export async function launchChromium(viewport = { width: 1400, height: 1000 }): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium), as .ci/run does`);
  const profile = mkdtempSync(join(tmpdir(), "apimbot-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  context.on("close", () => {
    // Best effort: Chromium may still be writing to its profile as the context closes.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // A leftover temp folder is harmless.
    }
  });
  return context;
}
