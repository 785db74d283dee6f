import type { CalEvent } from "../cal/event";
import { parseCalBody } from "../cal/parse-cal-body";

/**
 * The event a failure is about. A verified body was parsed on arrival; an unverified one never was
 * (nothing unsigned is trusted), so it is parsed here for staff to judge and, only through the audited
 * override, to apply. Null when the body is not a lead event at all.
 */
export function eventOfFailure(failure: { event: CalEvent | null; verification: string; rawBody: string }): CalEvent | null {
  if (failure.event || failure.verification === "verified") return failure.event;
  try {
    const parsed = parseCalBody(JSON.parse(failure.rawBody));
    return parsed.kind === "event" ? parsed.event : null;
  } catch {
    return null;
  }
}
