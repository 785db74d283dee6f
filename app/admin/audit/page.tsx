import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AuditFilters } from "@/components/admin/audit-filters";
import { ChainStatus } from "@/components/admin/chain-status";
import { CopyableCode } from "@/components/admin/copy-button";
import { DiffTable } from "@/components/admin/diff-table";
import { actionLabel, triggerLabel } from "@/components/admin/labels";
import { LocalTime } from "@/components/admin/local-time";
import { FLAGGED_ACTIONS } from "@/lib/audit/audit-actions";
import { AUDIT_PAGE_SIZE, fieldDiff, readAuditEntries } from "@/lib/audit/audit-entry";
import { readAuditTargets } from "@/lib/audit/audit-targets";
import { auditQueryString, parseAuditParams } from "@/lib/audit/audit-params";
import { requireStaffPage } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import type { PageSearchProps } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Audit trail · Booking Handoff" };

export default async function AuditPage({ searchParams }: PageSearchProps) {
  const params = parseAuditParams(await searchParams);
  await requireStaffPage("manager", `/admin/audit?${auditQueryString(params, { before: params.before })}`);
  const db = await getDatabase();
  const sql = db.sql;
  const entries = await readAuditEntries(sql, params, params.before, AUDIT_PAGE_SIZE + 1);
  const page = entries.slice(0, AUDIT_PAGE_SIZE);
  const targets = await readAuditTargets(sql, page);
  const filter = auditQueryString(params);
  const exportHref = (format: string) =>
    `/admin/audit/export?${new URLSearchParams([...new URLSearchParams(filter), ["format", format]])}`;

  return (
    <main className="wide" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <p className="lede">
        Every change to a lead and every staff decision: append-only, and sealed into a chain signed with a
        key the database never holds.
      </p>
      <Suspense fallback={<p className="muted">Checking the hash chain…</p>}>
        <ChainStatus db={db} />
      </Suspense>
      <AuditFilters params={params} />
      <p className="row">
        Export these entries: <a href={exportHref("csv")}>CSV</a> <a href={exportHref("jsonl")}>JSON Lines</a>
      </p>
      <div className="table-scroll">
        <table className="data-table" aria-label="Audit entries">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Reason</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {page.map((entry) => (
              <tr key={entry.id}>
                <td data-label="#">{entry.seq ?? <span className="muted">sealing…</span>}</td>
                <td data-label="When">
                  <LocalTime value={entry.occurredAt} />
                </td>
                <td data-label="Who">
                  {entry.actorType === "staff"
                    ? `${entry.actorEmail ?? entry.actorId} (${entry.actorRole ?? "?"})`
                    : entry.actorId}
                </td>
                <td data-label="Action">
                  {actionLabel(entry.action)}{" "}
                  {FLAGGED_ACTIONS.has(entry.action) ? <span className="badge bad">override</span> : null}
                  <br />
                  <code className="muted">{entry.action}</code>
                </td>
                <td data-label="Target">
                  {entry.leadId ? (
                    <div>
                      Lead{" "}
                      <Link href={`/admin/leads/${entry.leadId}`}>
                        {targets.leads.get(entry.leadId)?.name ?? "a lead that no longer exists"}
                      </Link>
                    </div>
                  ) : null}
                  {entry.failureId ? (
                    <div>
                      Queue item{" "}
                      <Link href={`/admin/failures/${entry.failureId}`}>
                        {targets.failures.has(entry.failureId)
                          ? `${triggerLabel(targets.failures.get(entry.failureId)?.trigger)} · ${targets.failures.get(entry.failureId)?.label}`
                          : "an item that no longer exists"}
                      </Link>
                    </div>
                  ) : null}
                  {!entry.leadId && !entry.failureId ? "—" : null}
                </td>
                <td data-label="Reason">{entry.reason ?? "—"}</td>
                <td data-label="Details">
                  <details>
                    <summary>Diff and context</summary>
                    <DiffTable rows={fieldDiff(entry)} caption={`Changes in entry ${entry.id}`} />
                    <dl className="facts">
                      <dt>IP</dt>
                      <dd>{String(entry.requestContext?.ip ?? "—")}</dd>
                      <dt>User agent</dt>
                      <dd>{String(entry.requestContext?.userAgent ?? "—")}</dd>
                      <dt>Request id</dt>
                      <dd>{String(entry.requestContext?.requestId ?? "—")}</dd>
                      <dt>Seal</dt>
                      <dd>
                        {entry.sealMac ? (
                          <CopyableCode value={entry.sealMac} label="seal" />
                        ) : (
                          "not sealed yet"
                        )}
                      </dd>
                    </dl>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.length === 0 ? <p className="empty">No entry matches these filters.</p> : null}
      <nav className="pager" aria-label="Pages">
        {params.before ? <Link href={`/admin/audit?${filter}`}>Newest</Link> : null}
        {entries.length > AUDIT_PAGE_SIZE ? (
          <Link href={`/admin/audit?${auditQueryString(params, { before: page[page.length - 1].id })}`}>
            Older →
          </Link>
        ) : null}
      </nav>
    </main>
  );
}
