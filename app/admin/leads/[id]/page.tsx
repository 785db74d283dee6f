import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { CopyableCode } from "@/components/admin/copy-button";
import { DiffTable } from "@/components/admin/diff-table";
import { changeRow, eventFate, formatValue, humanize } from "@/components/admin/format";
import { MergeLeadsForm } from "@/components/admin/merge-leads-form";
import { STATE_FIELDS, actionLabel, fieldLabel, stateLabel, triggerLabel } from "@/components/admin/labels";
import { LocalTime } from "@/components/admin/local-time";
import { fieldDiff } from "@/lib/audit/audit-entry";
import { requireStaffPage } from "@/lib/auth/guards";
import { requestContextOf } from "@/lib/auth/request-context";
import { getDatabase } from "@/lib/db/client";
import { type LeadRow, findLeadById, leadBookings } from "@/lib/db/queries/leads";
import type { SearchParams } from "@/lib/http/search-params";
import { firstValue } from "@/lib/http/search-params";
import { loadLeadTimeline } from "@/lib/leads/load-lead-timeline";
import { previewMerge } from "@/lib/leads/merge-leads";
import { LEAD_BOOKING_FIELDS } from "@/lib/reconcile/booking-fields";

export const metadata: Metadata = { title: "Lead · Booking Handoff" };

const TIME_FIELDS = new Set<string>(["booking_start", "booking_end"]);
const uuid = z.uuid();

async function sameEmailLeads(sql: Awaited<ReturnType<typeof getDatabase>>["sql"], lead: LeadRow) {
  return sql<{ id: string; name: string; created_at: Date; stage: string; version: number }>`
    select id, name, created_at, stage, version from public.leads
    where lower(email) = lower(${lead.email}) and id <> ${lead.id} and merged_into is null
    order by created_at limit 10`;
}

export default async function LeadPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const search = await searchParams;
  const staff = await requireStaffPage("staff", `/admin/leads/${encodeURIComponent(id)}`);
  if (!uuid.safeParse(id).success) notFound();
  const db = await getDatabase();
  const lead = await findLeadById(db.sql, id);
  if (!lead) notFound();
  const [timeline, bookings, twins] = await Promise.all([
    loadLeadTimeline(db.sql, id),
    leadBookings(db.sql, id),
    sameEmailLeads(db.sql, lead),
  ]);
  const mergeTarget = twins.find((twin) => twin.id === uuid.safeParse(firstValue(search.merge)).data);
  const mergePreview = mergeTarget
    ? await previewMerge(
        db,
        { duplicateId: lead.id, primaryId: mergeTarget.id, duplicateVersion: null, primaryVersion: null },
        { staff, context: requestContextOf(await headers()) },
      )
    : undefined;

  return (
    <main className="wide" aria-labelledby="lead-title">
      <p>
        <Link href="/admin/leads">← Leads</Link>
      </p>
      <h1 id="lead-title">
        {lead.name} · {lead.email}
      </h1>
      <p className="lede">
        Stage <span className="badge">{humanize(lead.stage)}</span> · created{" "}
        <LocalTime value={lead.created_at} /> · version {lead.version}
      </p>
      {lead.merged_into ? (
        <p className="form-message" role="status">
          This lead was merged into <Link href={`/admin/leads/${lead.merged_into}`}>another lead</Link>; its
          link and late events follow there.
        </p>
      ) : twins.length > 0 ? (
        <section className="panel" aria-labelledby="twins-title">
          <h2 id="twins-title">
            Same email as {twins.length === 1 ? "another lead" : `${twins.length} other leads`}
          </h2>
          <p className="muted">
            Anyone can type an email, so leads are never joined by it automatically. If these are the same
            person, merge this lead into the other one: its bookings and events move there, and the merge is
            audited.
          </p>
          <ul className="stack">
            {twins.map((twin) => (
              <li key={twin.id}>
                <Link href={`/admin/leads/${twin.id}`}>{twin.name}</Link>{" "}
                <span className="badge">{humanize(twin.stage)}</span>{" "}
                <span className="muted">
                  since <LocalTime value={twin.created_at} />
                </span>{" "}
                · <Link href={`/admin/leads/${lead.id}?merge=${twin.id}#merge`}>Preview merging into it</Link>
              </li>
            ))}
          </ul>
          {mergeTarget && mergePreview ? (
            <div id="merge" className="stack">
              <h3>Merging into {mergeTarget.name}</h3>
              {mergePreview.kind === "done" ? (
                <>
                  <DiffTable
                    rows={(mergePreview.changes ?? []).map(changeRow)}
                    caption={`What merging changes on ${mergeTarget.name}`}
                  />
                  <MergeLeadsForm
                    duplicateId={lead.id}
                    primaryId={mergeTarget.id}
                    duplicateVersion={mergePreview.versions?.duplicate ?? lead.version}
                    primaryVersion={mergePreview.versions?.primary ?? mergeTarget.version}
                    primaryLabel={mergeTarget.name}
                  />
                </>
              ) : (
                <p className="form-message">{mergePreview.message}</p>
              )}
            </div>
          ) : null}
        </section>
      ) : null}
      <section className="panel" aria-labelledby="bookings-title">
        <h2 id="bookings-title">Bookings</h2>
        {bookings.length === 0 ? <p className="muted">No booking is tied to this lead yet.</p> : null}
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Booking</th>
                <th scope="col">Status</th>
                <th scope="col">When</th>
                <th scope="col">Uids (reschedules)</th>
                <th scope="col">Came through</th>
              </tr>
            </thead>
            <tbody>
              {bookings.map((booking) => (
                <tr key={booking.root_uid} id={`booking-${booking.current_uid}`}>
                  <td data-label="Booking">
                    {booking.title ?? "Untitled"}
                    {booking.current_uid === lead.cal_booking_uid ? (
                      <span className="badge">current</span>
                    ) : null}
                  </td>
                  <td data-label="Status">
                    <span className="badge">
                      {booking.state === "live" || booking.state === "closed"
                        ? humanize(booking.status)
                        : humanize(booking.state)}
                    </span>
                    {booking.paid ? <span className="badge">paid</span> : null}
                    {booking.status_reason ? <span className="muted"> “{booking.status_reason}”</span> : null}
                  </td>
                  <td data-label="When">
                    <LocalTime value={booking.start_time} />
                  </td>
                  <td data-label="Uids (reschedules)">
                    {booking.uids.map((uid, index) => (
                      <span key={uid}>
                        {index > 0 ? " ← " : ""}
                        <CopyableCode value={uid} label="booking uid" />
                      </span>
                    ))}
                  </td>
                  <td data-label="Came through">
                    {booking.via_submission === lead.submission_id
                      ? "this lead's link"
                      : booking.via_submission
                        ? "a merged lead's link"
                        : "staff or uid"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <div className="columns">
        <section className="panel" aria-labelledby="booking-title">
          <h2 id="booking-title">Current call</h2>
          <dl className="facts">
            {LEAD_BOOKING_FIELDS.map((field) => (
              <div key={field} className="contents">
                <dt>{fieldLabel(field)}</dt>
                <dd>
                  {TIME_FIELDS.has(field) ? (
                    <LocalTime value={lead[field] as Date | null} />
                  ) : STATE_FIELDS.has(field) ? (
                    stateLabel(lead[field] as string | null)
                  ) : (
                    formatValue(lead[field])
                  )}
                </dd>
              </div>
            ))}
            <dt>Company</dt>
            <dd>{lead.company ?? "—"}</dd>
            <dt>Phone</dt>
            <dd>{lead.phone ?? "—"}</dd>
            <dt>Message</dt>
            <dd>{lead.message ?? "—"}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          {timeline.length === 0 ? <p className="muted">Nothing has happened to this lead yet.</p> : null}
          <ol className="timeline">
            {timeline.map((entry, index) => (
              <li
                key={`${entry.kind}-${index}`}
                id={entry.kind === "event" ? `event-${entry.eventId}` : undefined}
              >
                <span className="muted">
                  <LocalTime value={entry.at} />
                </span>{" "}
                {entry.kind === "event" ? (
                  <>
                    Event{" "}
                    <strong>
                      {entry.failureId ? (
                        <Link href={`/admin/failures/${entry.failureId}`}>{triggerLabel(entry.trigger)}</Link>
                      ) : (
                        triggerLabel(entry.trigger)
                      )}
                    </strong>{" "}
                    ({eventFate(entry.outcome, entry.resolution)}, {entry.deliveryCount} deliver
                    {entry.deliveryCount === 1 ? "y" : "ies"})
                  </>
                ) : entry.kind === "stage" ? (
                  <>
                    Stage {humanize(entry.from)} → <strong>{humanize(entry.to)}</strong>,{" "}
                    <a href={`#event-${entry.eventId}`}>caused by this event</a>
                  </>
                ) : (
                  <>
                    <strong>{actionLabel(entry.action)}</strong> by{" "}
                    {entry.actorType === "staff" ? (entry.actorEmail ?? "staff") : "the webhook"}
                    {entry.reason ? ` — “${entry.reason}”` : ""}
                    {entry.failureId ? (
                      <>
                        {" "}
                        (<Link href={`/admin/failures/${entry.failureId}`}>its queue item</Link>)
                      </>
                    ) : null}
                    <DiffTable
                      rows={fieldDiff(entry).map((d) =>
                        changeRow({ field: d.field, from: d.before, to: d.after }),
                      )}
                      caption={`Changes made by ${actionLabel(entry.action)}`}
                    />
                  </>
                )}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </main>
  );
}
