import { mkdtempSync, readFileSync, rmSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync, inflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { crc32 } from "node:zlib";
import { buildAppPackage } from "../../appPackage/build";
import { COMMANDS } from "../../src/teams/commands";

/** Reads a zip's entries through its central directory, checking each CRC. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    const localNameLen = buf.readUInt16LE(local + 26);
    const body = buf.subarray(local + 30 + localNameLen, local + 30 + localNameLen + size);
    // 8 is deflate; 0 stores small or incompressible files as they are.
    const data = method === 8 ? inflateRawSync(body) : body;
    expect(crc32(data), `${name} CRC`).toBe(crc);
    out.set(name, data);
    p += 46 + nameLen;
  }
  return out;
}

/** Width, height and pixels of an RGBA PNG written without filters. */
function readPng(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let p = 8; p < png.length; ) {
    const len = png.readUInt32BE(p);
    const type = png.toString("latin1", p + 4, p + 8);
    expect(crc32(png.subarray(p + 4, p + 8 + len)), `${type} CRC`).toBe(png.readUInt32BE(p + 8 + len));
    if (type === "IDAT") idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, pixel: (x, y) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)] };
}

describe("Teams app package", () => {
  const dir = mkdtempSync(join(tmpdir(), "apimbot-app-"));
  cpSync(join(__dirname, "../../appPackage/manifest.json"), join(dir, "manifest.json"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const botId = "3d6f8a1b-5c2e-4f7a-9b0d-1e2f3a4b5c6d";
  const { out } = buildAppPackage({ dir, out: join(dir, "dist", "appPackage.zip"), botId });
  const entries = unzip(readFileSync(out));

  it("zips the manifest and both icons at the root", () => {
    expect([...entries.keys()].sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
  });

  it("declares the bot in team, group chat and personal scopes, with the bot's app id", () => {
    const manifest = JSON.parse(String(entries.get("manifest.json"))) as { manifestVersion: string; id: string; bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string; description: string }[] }[] }[] };
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.19);
    expect(manifest.id).toBe(botId);
    expect(manifest.bots[0]?.botId).toBe(botId);
    expect(manifest.bots[0]?.scopes.sort()).toEqual(["groupChat", "personal", "team"]);
    const commands = manifest.bots[0]?.commandLists[0]?.commands ?? [];
    // The command menu lists exactly what the bot understands.
    expect(commands.map((c) => c.title).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
    for (const c of commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
  });

  it("draws a 192x192 colour icon and a 32x32 white-on-transparent outline icon", () => {
    const color = readPng(entries.get("color.png") as Buffer);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.pixel(96, 10)).toEqual([0x0f, 0x6c, 0xbd, 0xff]);
    const outline = readPng(entries.get("outline.png") as Buffer);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const colours = new Set<string>();
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) colours.add(outline.pixel(x, y).join(","));
    expect([...colours].sort()).toEqual(["0,0,0,0", "255,255,255,255"]);
  });

  it("refuses a bot id that is not a GUID", () => {
    expect(() => buildAppPackage({ dir, out: join(dir, "x.zip"), botId: "my-bot" })).toThrow(/--bot-id: "my-bot" is not a GUID/);
  });
});
