import type { CalEvent } from "../cal/event";
import { eventIdempotencyKey, sha256Hex } from "../cal/event-identity";
import { type CalApiBooking, type CalApiConfig, listBookingsPage } from "../cal-api/cal-api-client";
import type { Database, Sql } from "../db/database";
import { BACKFILL_ACTOR } from "../audit/actors";
import { appendAudit } from "../audit/append-audit";
import type { SubmissionTokenKeys } from "../leads/submission-token";
import { markWindowsRecovered, unrecoveredWindows } from "../outage/refused-deliveries";
import { reconcileCalEvent } from "../reconcile/reconcile-cal-event";
import { eventFromBooking } from "./event-from-booking";

export interface BackfillReport {
  since: string;
  fetched: number;
  /** Changes applied to a lead that the webhook never delivered. */
  applied: number;
  /** Read and stored, but the lead already had this state or a later one. */
  unchanged: number;
  /** Queued for staff like an unmatched delivery. */
  queued: number;
  /** The webhook (or an earlier backfill) already brought this booking's current state. */
  alreadyDelivered: number;
  /** Bookings that carry no lead event: rescheduled away, unknown status, or malformed. */
  skipped: number;
  /** Windows of deliveries refused while the database was away, now read back. */
  refusedWindowsRecovered: number;
}

// Cal.com stamps a booking's update a moment before it sends the webhook the database refused.
const REFUSED_WINDOW_MARGIN_MS = 10 * 60_000;

/** From `since`, or from just before the first refused delivery not yet read back, whichever is earlier. */
async function readFrom(sql: Sql, since: Date): Promise<Date> {
  const refused = await unrecoveredWindows(sql);
  const refusedFrom = refused ? new Date(refused.first.getTime() - REFUSED_WINDOW_MARGIN_MS) : null;
  return refusedFrom && refusedFrom < since ? refusedFrom : since;
}

const PAGE_SIZE = 100;
const MAX_PAGES = 50;
const MAX_HELD_LOOKUPS = 100;

async function alreadyDelivered(sql: Sql, event: CalEvent): Promise<boolean> {
  const rows = await sql`
    select 1 from public.webhook_events
    where booking_uid = ${event.bookingUid} and trigger_event = ${event.trigger} and verification = 'verified' limit 1`;
  return rows.length > 0;
}

/** Bookings our leads hold as current but that the recent list did not include: asked for one by one. */
async function heldBookingUids(sql: Sql, seen: Set<string>): Promise<string[]> {
  const rows = await sql<{ uid: string }>`
    select current_uid as uid from public.lead_bookings
    where state = 'live'
    order by start_time desc nulls last limit ${MAX_HELD_LOOKUPS + seen.size}`;
  return rows
    .map((row) => row.uid)
    .filter((uid) => !seen.has(uid))
    .slice(0, MAX_HELD_LOOKUPS);
}

/**
 * Asks Cal.com's API for bookings updated since `since` (earlier when deliveries were refused before then)
 * and for the bookings our leads hold, and feeds each one the webhook has not brought through the same
 * reconciler, with source `backfill`. Idempotent with real deliveries and with itself; each change is
 * audited, and the run as a whole too. A run that completes marks the refused windows it covered recovered.
 */
export async function runBackfill(
  db: Database,
  api: CalApiConfig,
  options: { since: Date; submissionKeys: SubmissionTokenKeys },
): Promise<BackfillReport> {
  const startedAt = new Date();
  const since = await readFrom(db.sql, options.since);
  const report: BackfillReport = {
    since: since.toISOString(),
    fetched: 0,
    applied: 0,
    unchanged: 0,
    queued: 0,
    alreadyDelivered: 0,
    skipped: 0,
    refusedWindowsRecovered: 0,
  };
  const seen = new Set<string>();

  const handle = async (booking: CalApiBooking) => {
    report.fetched += 1;
    seen.add(booking.uid);
    const event = eventFromBooking(booking);
    if (!event) {
      report.skipped += 1;
      return;
    }
    if (await alreadyDelivered(db.sql, event)) {
      report.alreadyDelivered += 1;
      return;
    }
    const rawBody = JSON.stringify(booking);
    const outcome = await reconcileCalEvent(
      db,
      { rawBody, bodySha256: sha256Hex(rawBody), signatureHeader: null, webhookVersion: null },
      event,
      options.submissionKeys,
      {
        source: "backfill",
        idempotencyKey: `backfill:${eventIdempotencyKey(event)}`,
        actor: BACKFILL_ACTOR,
        action: "lead.updated_by_backfill",
      },
    );
    if (outcome === "applied") report.applied += 1;
    else if (outcome === "queued") report.queued += 1;
    else report.unchanged += 1;
  };

  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await listBookingsPage(api, {
      afterUpdatedAt: since.toISOString(),
      take: PAGE_SIZE,
      skip: page * PAGE_SIZE,
    });
    report.skipped += result.malformed;
    for (const booking of result.bookings) await handle(booking);
    if (!result.hasNextPage) break;
  }
  for (const uid of await heldBookingUids(db.sql, seen)) {
    const result = await listBookingsPage(api, { bookingUid: uid, take: 1, skip: 0 });
    for (const booking of result.bookings.filter((b) => b.uid === uid)) await handle(booking);
  }

  report.refusedWindowsRecovered = await markWindowsRecovered(db.sql, startedAt, BACKFILL_ACTOR.id);
  await appendAudit(db.sql, { actor: BACKFILL_ACTOR, action: "backfill.run", after: { ...report } });
  return report;
}
