import type { Metadata } from "next";
import Link from "next/link";
import { humanize } from "@/components/admin/format";
import { SelectField, optionsOf } from "@/components/admin/select-field";
import { LocalTime } from "@/components/admin/local-time";
import { requireStaffPage } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import type { PageSearchProps } from "@/lib/http/search-params";
import { listLeads, parseLeadsParams } from "@/lib/leads/list-leads";
import { STAGES } from "@/lib/reconcile/booking-fields";

export const metadata: Metadata = { title: "Leads · Booking Handoff" };

export default async function LeadsPage({ searchParams }: PageSearchProps) {
  const params = parseLeadsParams(await searchParams);
  await requireStaffPage("staff", "/admin/leads");
  const page = await listLeads((await getDatabase()).sql, params);
  const nextHref = page.nextCursor
    ? `/admin/leads?${new URLSearchParams({ ...(params.q ? { q: params.q } : {}), ...(params.stage ? { stage: params.stage } : {}), after: page.nextCursor })}`
    : null;

  return (
    <main className="wide" aria-labelledby="leads-title">
      <h1 id="leads-title">Leads</h1>
      <form method="get" className="filters" role="search" aria-label="Find leads">
        <div className="field">
          <label htmlFor="lead-q">Search</label>
          <input
            id="lead-q"
            name="q"
            type="search"
            defaultValue={params.q ?? ""}
            placeholder="Name, email, company, booking uid"
          />
        </div>
        <SelectField
          id="lead-stage"
          name="stage"
          label="Stage"
          defaultValue={params.stage ?? ""}
          options={optionsOf(STAGES, humanize)}
          any
        />
        <button type="submit">Search</button>
        <Link href="/admin/leads">Reset</Link>
      </form>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Lead</th>
              <th scope="col">Company</th>
              <th scope="col">Stage</th>
              <th scope="col">Booking</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((lead) => (
              <tr key={lead.id}>
                <td data-label="Lead">
                  <Link href={`/admin/leads/${lead.id}`}>
                    {lead.name} · {lead.email}
                  </Link>
                </td>
                <td data-label="Company">{lead.company ?? "—"}</td>
                <td data-label="Stage">
                  <span className="badge">{humanize(lead.stage)}</span>
                  {lead.duplicateOf ? <span className="badge">possible duplicate</span> : null}
                </td>
                <td data-label="Booking">
                  {lead.calBookingUid ? <LocalTime value={lead.bookingStart} /> : "—"}
                </td>
                <td data-label="Created">
                  <LocalTime value={lead.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.rows.length === 0 ? <p className="empty">No lead matches.</p> : null}
      <nav className="pager" aria-label="Pages">
        {params.after ? (
          <Link href={`/admin/leads${params.q ? `?q=${encodeURIComponent(params.q)}` : ""}`}>First page</Link>
        ) : null}
        {nextHref ? <Link href={nextHref}>Next →</Link> : null}
      </nav>
    </main>
  );
}
