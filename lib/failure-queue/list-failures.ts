import type { Sql } from "../db/database";
import { type Fragment, allOf, direction, empty, fragment, runFragment } from "../db/fragment";
import { type KeysetCursor, decodeCursor, encodeCursor } from "../db/keyset-cursor";
import { containsPattern } from "../db/like-pattern";
import { utcDayRange } from "../db/utc-day-range";
import type { Verification } from "../db/queries/webhook-events";
import { FAILURE_REASONS, type FailureReason, type FailureStatus } from "../db/queries/webhook-failures";
import type { QueueParams } from "./queue-params";

export interface FailureListRow {
  id: string;
  reason: FailureReason;
  status: FailureStatus;
  detail: string | null;
  receivedAt: string;
  trigger: string | null;
  eventCreatedAt: string | null;
  bookingUid: string | null;
  attendeeEmail: string | null;
  attendeeName: string | null;
  deliveryCount: number;
  verification: Verification;
  /** True when trigger, times, uid and attendee are an unverified body's claims, not verified facts. */
  claimed: boolean;
  resolution: string | null;
}

export interface FailurePage {
  rows: FailureListRow[];
  total: number;
  /** How many matching items come before this page, so it can say "26–50 of 31". */
  offset: number;
  countsByReason: Record<FailureReason, number>;
  nextCursor: string | null;
  previousCursor: string | null;
}

const SORT_KEYS: Record<QueueParams["sort"], Fragment> = {
  received: fragment`f.created_at`,
  event_time: fragment`coalesce(e.event_created_at, f.created_at)`,
};

/** Counting without the join, when no filter needs the event, reads only the failures' own index. */
const needsEventColumns = (params: QueueParams) => params.trigger !== undefined || params.q !== undefined;

function filtersOf(params: QueueParams, withReason: boolean): Fragment {
  const parts: Fragment[] = [];
  if (params.status !== "all") parts.push(fragment`f.status = ${params.status}`);
  if (withReason && params.reason) parts.push(fragment`f.reason = ${params.reason}`);
  if (params.trigger)
    parts.push(fragment`coalesce(e.trigger_event, e.claimed ->> 'trigger') = ${params.trigger}`);
  parts.push(...utcDayRange(fragment`f.created_at`, params.from, params.to));
  if (params.q) {
    // The column webhook_events_queue_search_idx indexes, for queued deliveries (every queued item's event
    // is).
    parts.push(fragment`e.outcome = 'queued' and e.queue_search ilike ${containsPattern(params.q)}`);
  }
  return allOf(parts);
}

// An unverified delivery's columns are empty by design; the queue shows and searches what it claims instead.
const ATTENDEE_NAME = fragment`coalesce(e.attendee_name, e.claimed ->> 'attendeeName')`;
const ATTENDEE_EMAIL = fragment`coalesce(e.attendee_email, e.claimed ->> 'attendeeEmail')`;
const BOOKING_UID = fragment`coalesce(e.booking_uid, e.claimed ->> 'bookingUid')`;

/** How a bulk result names an item: who it is (or claims to be) about, else its booking or its id. */
export const ITEM_LABEL = fragment`coalesce(${ATTENDEE_NAME} || ' · ' || ${ATTENDEE_EMAIL}, ${ATTENDEE_EMAIL}, ${ATTENDEE_NAME},
  'booking ' || ${BOOKING_UID}, 'item ' || left(f.id::text, 8))`;

/** Every item the filters match, newest first, up to `limit`: "select all N matching" in the queue. */
export async function listMatchingFailureIds(
  sql: Sql,
  params: QueueParams,
  limit: number,
): Promise<string[]> {
  const rows = await runFragment<{ id: string }>(
    sql,
    fragment`
    select f.id
    from public.webhook_failures f
    join public.webhook_events e on e.id = f.webhook_event_id
    where ${filtersOf(params, true)}
    order by f.created_at desc, f.id desc
    limit ${limit}`,
  );
  return rows.map((row) => row.id);
}

/**
 * One page of the failure queue by keyset (the sort value and id of the row at the page edge), so a
 * page deep in 100k rows costs what the first one does. A "before" cursor reads backwards and flips.
 */
export async function listFailures(sql: Sql, params: QueueParams): Promise<FailurePage> {
  const sortKey = SORT_KEYS[params.sort];
  const before = decodeCursor(params.before);
  const after = before ? undefined : decodeCursor(params.after);
  const backwards = before !== undefined;
  const readDirection = backwards ? (params.dir === "asc" ? "desc" : "asc") : params.dir;
  const edge: KeysetCursor | undefined = before ?? after;
  const comparison = readDirection === "asc" ? fragment`>` : fragment`<`;
  // Sent as text: postgres.js turns a timestamptz parameter into a JS Date, which drops the microseconds.
  const keyset = edge
    ? fragment`and (${sortKey}, f.id) ${comparison} (${edge.value}::text::timestamptz, ${edge.id}::uuid)`
    : empty;

  // Items before the page in the order shown: up to and including an "after" edge, strictly before a "before"
  // one.
  const shownFirst =
    params.dir === "desc" ? (backwards ? fragment`>` : fragment`>=`) : backwards ? fragment`<` : fragment`<=`;
  const joinEvents = needsEventColumns(params) || params.sort === "event_time";

  const [fetched, counts, [beforeEdge]] = await Promise.all([
    runFragment<FailureListRow & { sortValue: string }>(
      sql,
      fragment`
      select f.id, f.reason, f.status, f.detail, f.created_at as "receivedAt",
        coalesce(e.trigger_event, e.claimed ->> 'trigger') as trigger,
        e.event_created_at as "eventCreatedAt",
        ${BOOKING_UID} as "bookingUid", ${ATTENDEE_EMAIL} as "attendeeEmail", ${ATTENDEE_NAME} as "attendeeName",
        e.claimed is not null as claimed, e.delivery_count as "deliveryCount", e.verification, f.resolution,
        to_char(${sortKey} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "sortValue"
      from public.webhook_failures f
      join public.webhook_events e on e.id = f.webhook_event_id
      where ${filtersOf(params, true)} ${keyset}
      order by ${sortKey} ${direction(readDirection)}, f.id ${direction(readDirection)}
      limit ${params.size + 1}`,
    ),
    runFragment<{ reason: FailureListRow["reason"]; count: number }>(
      sql,
      fragment`
      select f.reason, count(*)::integer as count
      from public.webhook_failures f
      ${needsEventColumns(params) ? fragment`join public.webhook_events e on e.id = f.webhook_event_id` : empty}
      where ${filtersOf(params, false)}
      group by f.reason`,
    ),
    edge
      ? runFragment<{ count: number }>(
          sql,
          fragment`
          select count(*)::integer as count
          from public.webhook_failures f
          ${joinEvents ? fragment`join public.webhook_events e on e.id = f.webhook_event_id` : empty}
          where ${filtersOf(params, true)}
            and (${sortKey}, f.id) ${shownFirst} (${edge.value}::text::timestamptz, ${edge.id}::uuid)`,
        )
      : [{ count: 0 }],
  ]);

  const hasMore = fetched.length > params.size;
  const page = fetched.slice(0, params.size);
  if (backwards) page.reverse();
  // The sort value travels as Postgres' microsecond text: a millisecond Date would skip rows at the edge.
  const cursorOf = (row: (typeof page)[number] | undefined) =>
    row ? encodeCursor({ value: row.sortValue, id: row.id }) : null;

  const countsByReason = Object.fromEntries(
    FAILURE_REASONS.map((reason) => [reason, 0]),
  ) as FailurePage["countsByReason"];
  for (const row of counts) countsByReason[row.reason] = row.count;
  return {
    rows: page.map((row) => ({
      ...row,
      sortValue: undefined,
      receivedAt: new Date(row.receivedAt).toISOString(),
      eventCreatedAt: row.eventCreatedAt ? new Date(row.eventCreatedAt).toISOString() : null,
    })),
    total: params.reason ? countsByReason[params.reason] : counts.reduce((sum, row) => sum + row.count, 0),
    offset: Math.max(0, backwards ? beforeEdge.count - page.length : beforeEdge.count),
    countsByReason,
    nextCursor: backwards || hasMore ? cursorOf(page.at(-1)) : null,
    previousCursor: backwards ? (hasMore ? cursorOf(page[0]) : null) : edge ? cursorOf(page[0]) : null,
  };
}
