/**
 * The small slice of the Adaptive Card schema that apimbot's cards use. Kept loose on purpose: card JSON
 * goes straight to Teams, and the `adaptivecards` package validates it in tests.
 */

/** Any card element, action or input, as plain JSON. */
export type CardElement = Record<string, unknown>;

/** An Adaptive Card 1.5 as sent to Teams. */
export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: CardElement[];
  actions?: CardElement[];
  refresh?: CardElement;
  msteams?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The content type Teams expects for an Adaptive Card attachment. */
export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/** Teams refuses messages above about 28 KB; cards are cut to stay below this many bytes. */
export const CARD_BYTE_LIMIT = 28 * 1024;

/** A fresh card shell with the schema and version Teams supports. */
export function emptyCard(): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body: [],
    msteams: { width: "Full" },
  };
}

/** Bytes of the card as JSON in UTF-8, computed without a Buffer so card builders stay pure. */
export function cardBytes(card: unknown): number {
  const json = JSON.stringify(card);
  let bytes = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
