/** Parses card JSON with the `adaptivecards` package, as a Teams-like client would, and reports problems. */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// The package's browser bundle parses and validates fine in Node.
const AC = require("adaptivecards/dist/adaptivecards.js") as {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void; validateProperties(): { validationEvents: { message: string }[] } };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

/** Parse and validation messages, except the expected note that Teams-only elements will use their fallback. */
export function cardProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const messages: string[] = [];
  for (let i = 0; i < context.eventCount; i++) messages.push(context.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) messages.push(e.message);
  return messages.filter((m) => !/Unknown element type "Chart\.Line"\. Fallback will be used if present\./.test(m));
}

/** Every element in a card, depth first (body items, columns, actions, show-card bodies, fallbacks). */
export function walk(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, out);
  } else if (node !== null && typeof node === "object") {
    const obj = node as Record<string, unknown>;
    if (typeof obj.type === "string") out.push(obj);
    for (const v of Object.values(obj)) walk(v, out);
  }
  return out;
}
