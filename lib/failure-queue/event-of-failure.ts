import { claimedEvent } from "../cal/claimed-event";
import type { CalEvent } from "../cal/event";

/**
 * The event a failure is about. A verified body was parsed on arrival; an unverified one is parsed here for
 * staff to judge and, only through the audited override, to apply. Null when the body is not a lead event.
 */
export function eventOfFailure(failure: {
  event: CalEvent | null;
  verification: string;
  rawBody: string;
}): CalEvent | null {
  if (failure.event || failure.verification === "verified") return failure.event;
  return claimedEvent(failure.rawBody);
}
