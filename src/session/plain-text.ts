/**
 * Text from the backend (a payee's name, an error message) made safe to show a cashier: it is only
 * ever rendered through Lit text bindings, so markup stays text; what is left to remove is what
 * text alone can do, such as a direction override that shows "Chai & Co." reversed, or a message
 * so long it pushes the QR off the screen.
 */

/** C0 and C1 controls and the bidirectional marks, embeddings, overrides and isolates. ZWJ and ZWNJ stay: Indian scripts need them. */
const INVISIBLE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** `value` without control or direction characters, whitespace runs as one space, at most `max` characters (ending `…` when cut). */
export function plainText(value: string, max: number): string {
  const text = value.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
