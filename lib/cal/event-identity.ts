import { createHash } from "node:crypto";
import type { CalEvent } from "./event";

export function sha256Hex(body: Uint8Array | string): string {
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Cal.com sends no event ID. A retry re-sends the same body with the same createdAt, so
 * trigger:uid:createdAt names an event; MEETING_ENDED's createdAt is the booking's, so it keys on the uid.
 */
export function eventIdempotencyKey(event: CalEvent): string {
  if (event.trigger === "MEETING_ENDED") return `MEETING_ENDED:${event.bookingUid}`;
  return `${event.trigger}:${event.bookingUid}:${event.createdAt}`;
}

/** For bodies we keep but cannot name by content (ignored triggers, unparseable or unverified bodies). */
export function bodyIdempotencyKey(kind: string, bodySha256: string): string {
  return `${kind}:sha256:${bodySha256}`;
}
