/**
 * Builds the Teams app package: draws the two icons (192x192 colour, 32x32 white outline on
 * transparent), writes them next to the manifest, and zips all three into `dist/appPackage.zip`.
 * PNG and zip are written here with `node:zlib` alone.
 *
 * Usage: `npx tsx appPackage/build.ts [--bot-id <app id>] [--out <zip>]`
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { createZip } from "../scripts/build";

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGBA image (row-major, 4 bytes a pixel) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

type Rgba = [number, number, number, number];

/** The apimbot glyph: a rising line chart with a spike, drawn as 0..1 coverage per pixel. */
function glyph(x: number, y: number, size: number): boolean {
  const u = x / size;
  const v = y / size;
  const pts: [number, number][] = [[0.18, 0.7], [0.36, 0.62], [0.5, 0.68], [0.62, 0.28], [0.72, 0.56], [0.84, 0.5]];
  const stroke = Math.max(1.5 / size, 0.045);
  for (let i = 0; i + 1 < pts.length; i++) {
    const [x1, y1] = pts[i] as [number, number];
    const [x2, y2] = pts[i + 1] as [number, number];
    const dx = x2 - x1;
    const dy = y2 - y1;
    const t = Math.max(0, Math.min(1, ((u - x1) * dx + (v - y1) * dy) / (dx * dx + dy * dy)));
    if (Math.hypot(u - (x1 + t * dx), v - (y1 + t * dy)) <= stroke) return true;
  }
  // A baseline under the chart.
  return v >= 0.8 && v <= 0.8 + stroke * 1.2 && u >= 0.16 && u <= 0.86;
}

function draw(size: number, background: (x: number, y: number) => Rgba, ink: Rgba): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const color = glyph(x + 0.5, y + 0.5, size) ? ink : background(x, y);
      out.set(color, (y * size + x) * 4);
    }
  }
  return out;
}

/** The 192x192 colour icon: the glyph in white on a rounded Teams-blue square. */
export function colorIcon(): Buffer {
  const size = 192;
  const radius = 36;
  const blue: Rgba = [0x0f, 0x6c, 0xbd, 0xff];
  const clear: Rgba = [0, 0, 0, 0];
  const inside = (x: number, y: number) => {
    const cx = Math.min(Math.max(x, radius), size - 1 - radius);
    const cy = Math.min(Math.max(y, radius), size - 1 - radius);
    return Math.hypot(x - cx, y - cy) <= radius;
  };
  return encodePng(size, size, draw(size, (x, y) => (inside(x, y) ? blue : clear), [0xff, 0xff, 0xff, 0xff]));
}

/** The 32x32 outline icon: white on transparent, as Teams requires. */
export function outlineIcon(): Buffer {
  return encodePng(32, 32, draw(32, () => [0, 0, 0, 0], [0xff, 0xff, 0xff, 0xff]));
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Writes the icons beside the manifest and the zip to `out`; `botId` (the bot's app id) fills the manifest ids. */
export function buildAppPackage(options: { dir?: string; out?: string; botId?: string } = {}): { out: string; files: string[] } {
  const dir = options.dir ?? resolve(__dirname);
  const out = options.out ?? join(dir, "..", "dist", "appPackage.zip");
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { id: string; bots: { botId: string }[] };
  if (options.botId !== undefined) {
    if (!GUID.test(options.botId)) throw new Error(`--bot-id: "${options.botId}" is not a GUID; give the bot's Microsoft App ID`);
    manifest.id = options.botId;
    for (const bot of manifest.bots) bot.botId = options.botId;
  }
  const color = colorIcon();
  const outline = outlineIcon();
  writeFileSync(join(dir, "color.png"), color);
  writeFileSync(join(dir, "outline.png"), outline);
  const files = [
    { name: "manifest.json", data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8") },
    { name: "color.png", data: color },
    { name: "outline.png", data: outline },
  ];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, createZip(files));
  return { out, files: files.map((f) => f.name) };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && /appPackage[\\/]build\.ts$/.test(process.argv[1])) {
  try {
    const { out } = buildAppPackage({ botId: arg("--bot-id"), out: arg("--out") ? resolve(arg("--out") as string) : undefined });
    if (!arg("--bot-id")) console.error("note: the manifest still holds the placeholder app id; pass --bot-id <your bot's app id> before uploading");
    console.log(out);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}
