import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ApplyMatchForm } from "@/components/admin/apply-match-form";
import { DiffTable } from "@/components/admin/diff-table";
import { DiscardForm } from "@/components/admin/discard-form";
import { FailureEventPanel } from "@/components/admin/failure-event-panel";
import { changeRow, humanize } from "@/components/admin/format";
import { triggerLabel } from "@/components/admin/labels";
import { ReopenForm } from "@/components/admin/reopen-form";
import { KeyboardShortcuts, type Shortcut } from "@/components/admin/keyboard-shortcuts";
import { RetryButton } from "@/components/admin/retry-button";
import { LocalTime } from "@/components/admin/local-time";
import { requireStaffPage } from "@/lib/auth/guards";
import { requestContextOf } from "@/lib/auth/request-context";
import { getDatabase } from "@/lib/db/client";
import { serverEnv, submissionTokenKeys } from "@/lib/env";
import { previewFailureMatch } from "@/lib/failure-queue/apply-failure-to-lead";
import { eventOfFailure } from "@/lib/failure-queue/event-of-failure";
import { findCandidateLeads } from "@/lib/failure-queue/find-candidate-leads";
import { loadFailureDetail, loadRelatedDeliveries } from "@/lib/failure-queue/load-failure-detail";
import { type OpenNeighbours, openNeighbours } from "@/lib/failure-queue/open-neighbours";
import { type SearchParams, firstValue, searchText } from "@/lib/http/search-params";
import { listLeads } from "@/lib/leads/list-leads";
import { findLeadById } from "@/lib/db/queries/leads";

export const metadata: Metadata = { title: "Failure · Booking Handoff" };

interface FailurePageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}

const uuid = z.uuid();

function shortcutsOf(neighbours: OpenNeighbours, open: boolean): Shortcut[] {
  const walk: Shortcut[] = [
    ...(neighbours.next
      ? [{ key: "j", label: "Next open item", href: `/admin/failures/${neighbours.next}` }]
      : []),
    ...(neighbours.previous
      ? [{ key: "k", label: "Previous open item", href: `/admin/failures/${neighbours.previous}` }]
      : []),
    { key: "u", label: "Back to the queue", href: "/admin" },
  ];
  if (!open) return walk;
  return [
    ...walk,
    {
      key: "a",
      label: "Apply: open the confirmation, or go to the first suggested lead",
      target: ["apply", "suggested-lead"],
    },
    { key: "d", label: "Discard: type the reason", target: ["discard-reason"] },
    { key: "r", label: "Retry matching", target: ["retry"] },
    { key: "/", label: "Find another lead", target: ["lead-search"] },
  ];
}

export default async function FailurePage({ params, searchParams }: FailurePageProps) {
  const { id } = await params;
  const search = await searchParams;
  const staff = await requireStaffPage("staff", `/admin/failures/${encodeURIComponent(id)}`);
  if (!uuid.safeParse(id).success) notFound();
  const db = await getDatabase();
  const sql = db.sql;
  const detail = await loadFailureDetail(sql, id);
  if (!detail) notFound();

  const chosenLead = uuid.safeParse(firstValue(search.lead)).data;
  const leadQuery = searchText.parse(firstValue(search.q));
  const open = detail.status === "open";
  const event = eventOfFailure(detail);
  const [related, candidates, preview, searchResults, neighbours] = await Promise.all([
    loadRelatedDeliveries(sql, detail),
    open
      ? findCandidateLeads(sql, detail, submissionTokenKeys(serverEnv()) ?? { secrets: [], ttlDays: 1 })
      : [],
    open && chosenLead
      ? previewFailureMatch(
          db,
          { failureId: detail.id, leadId: chosenLead },
          { staff, context: requestContextOf(await headers()) },
        )
      : undefined,
    open && leadQuery ? listLeads(sql, { q: leadQuery }, 10).then((page) => page.rows) : [],
    openNeighbours(sql, detail.id),
  ]);
  const chosenLeadRow = chosenLead ? await findLeadById(sql, chosenLead) : undefined;
  const previewHref = (leadId: string) =>
    `/admin/failures/${id}?lead=${leadId}${leadQuery ? `&q=${encodeURIComponent(leadQuery)}` : ""}#preview`;

  return (
    <main className="wide" aria-labelledby="failure-title">
      <nav className="item-nav" aria-label="Queue">
        <Link href="/admin">← Failure queue</Link>
        {neighbours.previous ? (
          <Link href={`/admin/failures/${neighbours.previous}`}>Previous open item</Link>
        ) : null}
        {neighbours.next ? <Link href={`/admin/failures/${neighbours.next}`}>Next open item →</Link> : null}
      </nav>
      <h1 id="failure-title">
        {event?.trigger || detail.trigger
          ? triggerLabel(event?.trigger ?? detail.trigger)
          : "Unreadable event"}{" "}
        · {humanize(detail.reason)}
      </h1>
      <p className="lede">
        Status: <strong>{detail.status}</strong>. Queued <LocalTime value={detail.createdAt} />.
      </p>
      {!open ? (
        <section className="panel" aria-labelledby="resolution-title">
          <h2 id="resolution-title">Decision</h2>
          <dl className="facts">
            <dt>Outcome</dt>
            <dd>{humanize(detail.resolution)}</dd>
            <dt>By</dt>
            <dd>{detail.resolvedBy ?? "—"}</dd>
            <dt>When</dt>
            <dd>
              <LocalTime value={detail.resolvedAt} />
            </dd>
            <dt>Note</dt>
            <dd>{detail.resolutionNote ?? "—"}</dd>
            {detail.resolvedLeadId ? (
              <>
                <dt>Lead</dt>
                <dd>
                  <Link href={`/admin/leads/${detail.resolvedLeadId}`}>Open the lead</Link>
                </dd>
              </>
            ) : null}
          </dl>
          {detail.status === "discarded" ? (
            <ReopenForm failureId={detail.id} version={detail.version} />
          ) : null}
        </section>
      ) : null}
      <div className="columns">
        <FailureEventPanel detail={detail} event={event} related={related} />
        {open ? (
          <div>
            <section className="panel" aria-labelledby="candidates-title">
              <h2 id="candidates-title">Which lead is it?</h2>
              {event === null ? (
                <p>
                  This payload is not a booking event we can read, so it cannot be applied to a lead. Discard
                  it once you have looked.
                </p>
              ) : (
                <>
                  {candidates.length === 0 ? (
                    <p className="muted">No lead matches the token, the booking, the email or the name.</p>
                  ) : null}
                  <ul className="stack" aria-label="Suggested leads">
                    {candidates.map(({ lead, why }, index) => (
                      <li key={lead.id}>
                        <Link
                          href={previewHref(lead.id)}
                          aria-current={lead.id === chosenLead ? "true" : undefined}
                          data-key-action={index === 0 ? "suggested-lead" : undefined}
                        >
                          {lead.name} · {lead.email}
                        </Link>{" "}
                        <span className="badge">{humanize(lead.stage)}</span>
                        {lead.duplicate_of ? <span className="badge">possible duplicate</span> : null}
                        <br />
                        <span className="muted">
                          {lead.company ? `${lead.company} · ` : ""}lead since{" "}
                          <LocalTime value={lead.created_at} /> · {lead.bookings} booking
                          {lead.bookings === 1 ? "" : "s"}
                        </span>
                        <br />
                        <span className="muted">Suggested because {why.join("; ")}.</span>
                      </li>
                    ))}
                  </ul>
                  <form method="get" className="row" role="search" aria-label="Find another lead">
                    <div className="field">
                      <label htmlFor="lead-search">Find another lead</label>
                      <input
                        id="lead-search"
                        name="q"
                        type="search"
                        defaultValue={leadQuery ?? ""}
                        placeholder="Name, email, company"
                      />
                    </div>
                    <button type="submit" className="secondary">
                      Search
                    </button>
                  </form>
                  {leadQuery ? (
                    <ul aria-label="Lead search results">
                      {searchResults.length === 0 ? (
                        <li className="muted">No lead matches “{leadQuery}”.</li>
                      ) : null}
                      {searchResults.map((lead) => (
                        <li key={lead.id}>
                          <Link href={previewHref(lead.id)}>
                            {lead.name} · {lead.email}
                          </Link>{" "}
                          <span className="badge">{humanize(lead.stage)}</span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </>
              )}
            </section>
            {preview?.kind === "done" && preview.link && chosenLeadRow ? (
              <section className="panel" id="preview" aria-labelledby="preview-title">
                <h2 id="preview-title">
                  Preview: apply to {chosenLeadRow.name} · {chosenLeadRow.email}
                </h2>
                <p className="muted">
                  This is what applying writes: the same change was run and rolled back
                  {preview.link.steps.length > 1
                    ? `, with the ${preview.link.steps.length - 1} queued event(s) that tying this booking pulls in`
                    : ""}
                  .
                </p>
                <ol className="stack" aria-label="What applying does, event by event">
                  {preview.link.steps.map((step, index) => (
                    <li key={step.eventId}>
                      <strong>{index === 0 ? "This event" : "Queued event pulled in"}</strong>:{" "}
                      {triggerLabel(step.trigger)} for booking <code>{step.bookingUid}</code>, sent{" "}
                      <LocalTime value={step.createdAt} /> — <em>{step.outcome}</em>
                      {step.changes.length > 0 ? (
                        <DiffTable
                          rows={step.changes.map(changeRow)}
                          caption={`What ${triggerLabel(step.trigger)} changes`}
                        />
                      ) : (
                        <p className="muted">
                          Changes nothing on this lead (it is {step.outcome} for it); it is linked and its
                          item resolved.
                        </p>
                      )}
                    </li>
                  ))}
                </ol>
                <ApplyMatchForm
                  failureId={detail.id}
                  leadId={chosenLeadRow.id}
                  leadLabel={`${chosenLeadRow.name} (${chosenLeadRow.email})`}
                  failureVersion={preview.failureVersion as number}
                  leadVersion={preview.leadVersion as number}
                  unverified={detail.verification === "unverified"}
                />
              </section>
            ) : preview && preview.kind !== "done" ? (
              <p className="form-message" role="status">
                {preview.message}
              </p>
            ) : null}
            <section className="panel" aria-labelledby="other-title">
              <h2 id="other-title">Other decisions</h2>
              {detail.event && detail.verification === "verified" ? (
                <RetryButton failureId={detail.id} />
              ) : null}
              <DiscardForm failureId={detail.id} version={detail.version} />
            </section>
          </div>
        ) : null}
      </div>
      <KeyboardShortcuts shortcuts={shortcutsOf(neighbours, open)} title="Keys on this item" />
    </main>
  );
}
