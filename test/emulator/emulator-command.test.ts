import { execFileSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { emulatorCommand } from "../../src/emulator/emulator-command";
import { all, apim, PROD_SUB } from "./sdk-clients";

describe("apimbot emulator", () => {
  it("prints export lines a shell accepts, then ready, and serves what they point at", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (c: Buffer) => (text += c.toString("utf8")));
    const emu = await emulatorCommand({ scenario: "scenarios/demo.json", port: 0 }, out);
    try {
      const lines = text.trimEnd().split("\n");
      expect(lines[lines.length - 1]).toBe("ready");
      const names = lines.slice(0, -1).map((l) => /^export ([A-Z_]+)=/.exec(l)?.[1]);
      expect(names.sort()).toEqual(["APIMBOT_ARM_ENDPOINT", "APIMBOT_LOGS_ENDPOINT", "APIMBOT_METRICS_ENDPOINT", "APIMBOT_STATIC_BEARER_TOKEN", "APIMBOT_SUBSCRIPTION_IDS", "NODE_EXTRA_CA_CERTS"]);
      // What a user gets after `eval "$(npx apimbot emulator ...)"`.
      const script = `${lines.slice(0, -1).join("\n")}\nenv | grep -E '^(APIMBOT_|NODE_EXTRA_CA_CERTS)' | sort`;
      const env = Object.fromEntries(execFileSync("sh", ["-c", script], { encoding: "utf8" }).trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
      expect(env).toEqual(emu.env);
      expect(env.APIMBOT_METRICS_ENDPOINT).toBe(`${emu.url}/metrics/{region}`);
      expect(env.APIMBOT_LOGS_ENDPOINT).toBe(`${emu.url}/v1`);
      expect(env.APIMBOT_SUBSCRIPTION_IDS?.split(",")).toContain(PROD_SUB);
      expect(await all(apim(emu, PROD_SUB).apiManagementService.list())).toHaveLength(2);
    } finally {
      await emu.close();
    }
  });

  it("refuses a bad scenario with the file and path in the message", async () => {
    await expect(emulatorCommand({ scenario: "scenarios/missing.json", port: 0 }, new PassThrough())).rejects.toThrow("scenarios/missing.json: (root): cannot read the file");
  });
});
