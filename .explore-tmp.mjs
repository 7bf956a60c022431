import { chromium } from "playwright-core";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run","--disable-quic"] });
const p = await b.newPage({ viewport: { width: 1400, height: 1000 } });
await p.goto("http://127.0.0.1:39782/");
await p.getByText("General", { exact: true }).first().click();
await p.waitForTimeout(4000);
console.log((await p.locator("body").innerText()).slice(0,1500));
await p.screenshot({ path: "/tmp/pg-second.png" });
await b.close();
