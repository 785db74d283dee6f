import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { DiffTable } from "@/components/admin/diff-table";
import { formatTime, formatValue, humanize } from "@/components/admin/format";
import { fieldDiff } from "@/lib/audit/audit-entry";
import { requireStaffPage } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import { findLeadById } from "@/lib/db/queries/leads";
import { loadLeadTimeline } from "@/lib/leads/load-lead-timeline";
import { BOOKING_FIELD_NAMES } from "@/lib/reconcile/booking-fields";

export const metadata: Metadata = { title: "Lead · Booking Handoff" };

const TIME_FIELDS = new Set<string>(["booking_start", "booking_end"]);

export default async function LeadPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireStaffPage("staff", `/admin/leads/${encodeURIComponent(id)}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const sql = (await getDatabase()).sql;
  const lead = await findLeadById(sql, id);
  if (!lead) notFound();
  const timeline = await loadLeadTimeline(sql, id);

  return (
    <main className="wide" aria-labelledby="lead-title">
      <p>
        <Link href="/admin/leads">← Leads</Link>
      </p>
      <h1 id="lead-title">
        {lead.name} · {lead.email}
      </h1>
      <p className="lede">
        Stage <span className="badge">{humanize(lead.stage)}</span> · created {formatTime(lead.created_at)} · version {lead.version}
      </p>
      <div className="columns">
        <section className="panel" aria-labelledby="booking-title">
          <h2 id="booking-title">Booking</h2>
          <dl className="facts">
            {BOOKING_FIELD_NAMES.map((field) => (
              <div key={field} className="contents">
                <dt>{field}</dt>
                <dd>{TIME_FIELDS.has(field) ? formatTime(lead[field] as Date | null) : formatValue(lead[field])}</dd>
              </div>
            ))}
            <dt>company</dt>
            <dd>{lead.company ?? "—"}</dd>
            <dt>phone</dt>
            <dd>{lead.phone ?? "—"}</dd>
            <dt>message</dt>
            <dd>{lead.message ?? "—"}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          {timeline.length === 0 ? <p className="muted">Nothing has happened to this lead yet.</p> : null}
          <ol className="timeline">
            {timeline.map((entry, index) => (
              <li key={`${entry.kind}-${index}`}>
                <span className="muted">{formatTime(entry.at)}</span>{" "}
                {entry.kind === "event" ? (
                  <>
                    Event <strong>{entry.trigger}</strong> ({entry.outcome ?? "—"}, {entry.deliveryCount} deliver
                    {entry.deliveryCount === 1 ? "y" : "ies"})
                  </>
                ) : entry.kind === "stage" ? (
                  <>
                    Stage {humanize(entry.from)} → <strong>{humanize(entry.to)}</strong>
                  </>
                ) : (
                  <>
                    <strong>{entry.action}</strong> by {entry.actorType === "staff" ? (entry.actorEmail ?? "staff") : "the webhook"}
                    {entry.reason ? ` — “${entry.reason}”` : ""}
                    <DiffTable rows={fieldDiff(entry)} caption={`Changes made by ${entry.action}`} />
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
