import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ApplyMatchForm } from "@/components/admin/apply-match-form";
import { DiffTable } from "@/components/admin/diff-table";
import { DiscardForm } from "@/components/admin/discard-form";
import { FailureEventPanel } from "@/components/admin/failure-event-panel";
import { formatTime, humanize } from "@/components/admin/format";
import { ReopenForm } from "@/components/admin/reopen-form";
import { RetryButton } from "@/components/admin/retry-button";
import { requireStaffPage } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import { serverEnv } from "@/lib/env";
import { eventOfFailure } from "@/lib/failure-queue/event-of-failure";
import { findCandidateLeads } from "@/lib/failure-queue/find-candidate-leads";
import { loadFailureDetail, loadRelatedDeliveries } from "@/lib/failure-queue/load-failure-detail";
import { previewFailureMatch } from "@/lib/failure-queue/preview-failure-match";
import { type SearchParams, firstValue } from "@/lib/http/search-params";
import { listLeads } from "@/lib/leads/list-leads";

export const metadata: Metadata = { title: "Failure · Booking Handoff" };

interface FailurePageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}

const uuid = z.uuid();

export default async function FailurePage({ params, searchParams }: FailurePageProps) {
  const { id } = await params;
  const search = await searchParams;
  await requireStaffPage("staff", `/admin/failures/${encodeURIComponent(id)}`);
  if (!uuid.safeParse(id).success) notFound();
  const sql = (await getDatabase()).sql;
  const detail = await loadFailureDetail(sql, id);
  if (!detail) notFound();

  const chosenLead = uuid.safeParse(firstValue(search.lead)).data;
  const leadQuery = firstValue(search.q)?.trim().slice(0, 200) || undefined;
  const open = detail.status === "open";
  const event = eventOfFailure(detail);
  const [related, candidates, preview, searchResults] = await Promise.all([
    loadRelatedDeliveries(sql, detail),
    open ? findCandidateLeads(sql, detail, serverEnv().SUBMISSION_TOKEN_SECRET ?? "") : [],
    open && chosenLead ? previewFailureMatch(sql, detail, chosenLead) : undefined,
    open && leadQuery ? listLeads(sql, { q: leadQuery }, 10).then((page) => page.rows) : [],
  ]);
  const previewHref = (leadId: string) => `/admin/failures/${id}?lead=${leadId}${leadQuery ? `&q=${encodeURIComponent(leadQuery)}` : ""}#preview`;

  return (
    <main className="wide" aria-labelledby="failure-title">
      <p>
        <Link href="/admin">← Failure queue</Link>
      </p>
      <h1 id="failure-title">
        {event?.trigger ?? detail.trigger ?? "Unreadable event"} · {humanize(detail.reason)}
      </h1>
      <p className="lede">
        Status: <strong>{detail.status}</strong>. Queued {formatTime(detail.createdAt)}.
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
            <dd>{formatTime(detail.resolvedAt)}</dd>
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
          {detail.status === "discarded" ? <ReopenForm failureId={detail.id} version={detail.version} /> : null}
        </section>
      ) : null}
      <div className="columns">
        <FailureEventPanel detail={detail} event={event} related={related} />
        {open ? (
          <div>
            <section className="panel" aria-labelledby="candidates-title">
              <h2 id="candidates-title">Which lead is it?</h2>
              {event === null ? (
                <p>This payload is not a booking event we can read, so it cannot be applied to a lead. Discard it once you have looked.</p>
              ) : (
                <>
                  {candidates.length === 0 ? <p className="muted">No lead matches the token, the booking, the email or the name.</p> : null}
                  <ul className="stack" aria-label="Suggested leads">
                    {candidates.map(({ lead, why }) => (
                      <li key={lead.id}>
                        <Link href={previewHref(lead.id)} aria-current={lead.id === chosenLead ? "true" : undefined}>
                          {lead.name} · {lead.email}
                        </Link>{" "}
                        <span className="badge">{humanize(lead.stage)}</span>
                        <br />
                        <span className="muted">Suggested because {why.join("; ")}.</span>
                      </li>
                    ))}
                  </ul>
                  <form method="get" className="row" role="search" aria-label="Find another lead">
                    <div className="field">
                      <label htmlFor="lead-search">Find another lead</label>
                      <input id="lead-search" name="q" type="search" defaultValue={leadQuery ?? ""} placeholder="Name, email, company" />
                    </div>
                    <button type="submit" className="secondary">
                      Search
                    </button>
                  </form>
                  {leadQuery ? (
                    <ul aria-label="Lead search results">
                      {searchResults.length === 0 ? <li className="muted">No lead matches “{leadQuery}”.</li> : null}
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
            {preview ? (
              <section className="panel" id="preview" aria-labelledby="preview-title">
                <h2 id="preview-title">
                  Preview: apply to {preview.leadName} · {preview.leadEmail}
                </h2>
                {preview.plan.outcome === "applied" ? (
                  <DiffTable rows={preview.plan.changes.map((c) => ({ field: c.field, before: c.from, after: c.to }))} caption="Fields that would change" />
                ) : (
                  <p>
                    Applying changes nothing on this lead: the event is <strong>{preview.plan.outcome}</strong> for it. It is
                    linked and the item resolved.
                  </p>
                )}
                <ApplyMatchForm
                  failureId={detail.id}
                  leadId={preview.leadId}
                  leadLabel={`${preview.leadName} (${preview.leadEmail})`}
                  failureVersion={preview.failureVersion}
                  leadVersion={preview.leadVersion}
                  unverified={detail.verification === "unverified"}
                />
              </section>
            ) : chosenLead ? (
              <p className="form-message">That lead does not exist.</p>
            ) : null}
            <section className="panel" aria-labelledby="other-title">
              <h2 id="other-title">Other decisions</h2>
              {detail.event && detail.verification === "verified" ? <RetryButton failureId={detail.id} /> : null}
              <DiscardForm failureId={detail.id} version={detail.version} />
            </section>
          </div>
        ) : null}
      </div>
    </main>
  );
}
