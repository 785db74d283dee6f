import type { Metadata } from "next";
import Link from "next/link";
import { FailureQueueTable } from "@/components/admin/failure-queue-table";
import { humanize } from "@/components/admin/format";
import { KeyboardShortcuts } from "@/components/admin/keyboard-shortcuts";
import { QueueFilters } from "@/components/admin/queue-filters";
import { QueueLiveUpdates } from "@/components/admin/queue-live-updates";
import { requireStaffPage } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import { listFailures } from "@/lib/failure-queue/list-failures";
import { queueHref } from "@/lib/failure-queue/queue-href";
import { FAILURE_REASONS } from "@/lib/db/queries/webhook-failures";
import { parseQueueParams } from "@/lib/failure-queue/queue-params";
import type { PageSearchProps } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Failure queue · Booking Handoff" };

const QUEUE_KEYS = [
  { key: "j", label: "Next row" },
  { key: "k", label: "Previous row" },
  { key: "Enter", label: "Open the row" },
  { key: "x", label: "Select the row" },
  { key: "/", label: "Search the queue", target: ["q"] },
] as const;

export default async function FailureQueuePage({ searchParams }: PageSearchProps) {
  const params = parseQueueParams(await searchParams);
  await requireStaffPage("staff", queueHref(params, { after: params.after, before: params.before }));
  const page = await listFailures((await getDatabase()).sql, params);

  return (
    <main className="wide" aria-labelledby="queue-title">
      <h1 id="queue-title">Failure queue</h1>
      <p className="lede">
        Booking events that could not be matched or verified. None of them changed a lead.{" "}
        {page.total === 1 ? "1 item matches" : `${page.total} items match`} these filters.
      </p>
      <ul className="chips" aria-label="Count by reason">
        <li>
          <Link
            href={queueHref(params, { reason: undefined })}
            aria-current={params.reason ? undefined : "true"}
          >
            all reasons
          </Link>
        </li>
        {FAILURE_REASONS.map((reason) => (
          <li key={reason}>
            <Link
              href={queueHref(params, { reason })}
              aria-current={params.reason === reason ? "true" : undefined}
            >
              {humanize(reason)} ({page.countsByReason[reason]})
            </Link>
          </li>
        ))}
      </ul>
      <QueueFilters params={params} />
      <QueueLiveUpdates firstPage={!params.after && !params.before} newestHref={queueHref(params, {})} />
      <FailureQueueTable rows={page.rows} params={params} total={page.total} />
      <nav className="pager" aria-label="Pages">
        {page.rows.length > 0 ? (
          <span className="muted">
            {page.offset + 1}–{page.offset + page.rows.length} of {page.total}
          </span>
        ) : null}
        {page.previousCursor ? (
          <Link href={queueHref(params, { before: page.previousCursor, after: undefined })}>← Previous</Link>
        ) : null}
        {page.nextCursor ? (
          <Link href={queueHref(params, { after: page.nextCursor, before: undefined })}>Next →</Link>
        ) : null}
      </nav>
      <KeyboardShortcuts shortcuts={QUEUE_KEYS} title="Keys in the queue" hint={false} />
    </main>
  );
}
