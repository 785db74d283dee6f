import { randomInt } from "node:crypto";
import { parseCalBody } from "../lib/cal/parse-cal-body";
import {
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingRescheduled,
  newBookingUid,
} from "../lib/cal/payload-factories";
import { signCalBody } from "../lib/cal/signature";
import type { CalEvent } from "../lib/cal/event";

export interface BenchLead {
  index: number;
  submissionId: string;
  token: string;
  email: string;
}

export interface Delivery {
  body: string;
  signature: string;
  kind: "created" | "rescheduled" | "cancelled" | "duplicate" | "unmatched" | "bad_signature";
  leadIndex: number | null;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * A realistic, hostile-enough mix: each lead books, a third reschedule (through Cal.com's link: no token) and
 * a third of those cancel (no metadata, as Cal.com sends it); about 10% exact re-deliveries, 10% bookings
 * that match no lead, 5% bodies signed with the wrong secret; all shuffled, so cancellations overtake
 * reschedules. Returns the deliveries and each lead's events.
 */
export function buildWorkload(leads: BenchLead[], secret: string) {
  const start = Date.parse("2026-12-01T09:00:00Z");
  const deliveries: Delivery[] = [];
  const eventsByLead = new Map<number, CalEvent[]>();
  const add = (kind: Delivery["kind"], leadIndex: number | null, body: object, signingSecret = secret) => {
    const text = JSON.stringify(body);
    deliveries.push({ body: text, signature: signCalBody(text, signingSecret), kind, leadIndex });
    if (leadIndex !== null && kind !== "bad_signature") {
      const parsed = parseCalBody(JSON.parse(text));
      if (parsed.kind === "event")
        eventsByLead.set(leadIndex, [...(eventsByLead.get(leadIndex) ?? []), parsed.event]);
    }
  };

  for (const lead of leads) {
    const at = (seconds: number) => new Date(start + lead.index * 1000 + seconds * 1000).toISOString();
    const attendee = { name: `Bench Lead ${lead.index}`, email: lead.email };
    const first = newBookingUid();
    add(
      "created",
      lead.index,
      makeBookingCreated({ uid: first, submissionToken: lead.token, attendee, createdAt: at(0) }),
    );
    if (lead.index % 3 === 0) {
      const second = newBookingUid();
      add(
        "rescheduled",
        lead.index,
        makeBookingRescheduled({ uid: second, rescheduleUid: first, attendee, createdAt: at(1) }),
      );
      if (lead.index % 9 === 0)
        add("cancelled", lead.index, makeBookingCancelled({ uid: second, attendee, createdAt: at(2) }));
    }
  }
  const originals = deliveries.length;
  for (let n = 0; n < Math.round(originals * 0.1); n++) {
    const copy = deliveries[randomInt(originals)];
    deliveries.push({ ...copy, kind: "duplicate" });
  }
  for (let n = 0; n < Math.round(originals * 0.1); n++) {
    add(
      "unmatched",
      null,
      makeBookingCreated({
        submissionToken: null,
        attendee: { name: "Walk In", email: `walkin${n}@elsewhere.example` },
      }),
    );
  }
  for (let n = 0; n < Math.round(originals * 0.05); n++) {
    add(
      "bad_signature",
      null,
      makeBookingCreated({ submissionToken: leads[n % leads.length].token }),
      "whsec_not_the_right_secret",
    );
  }
  return { deliveries: shuffle(deliveries), eventsByLead };
}
