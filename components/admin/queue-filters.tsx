import Link from "next/link";
import { LEAD_TRIGGERS } from "@/lib/cal/event";
import { FAILURE_REASONS } from "@/lib/db/queries/webhook-failures";
import { FAILURE_STATUSES, PAGE_SIZES, type QueueParams } from "@/lib/failure-queue/queue-params";
import { humanize } from "./format";
import { triggerLabel } from "./labels";
import { MoreFilters } from "./more-filters";
import { SelectField, optionsOf } from "./select-field";

/**
 * A plain GET form: the filters become the URL, so they work without JavaScript and the back button undoes
 * them.
 */
export function QueueFilters({ params }: { params: QueueParams }) {
  const set = [
    params.status !== "open",
    params.reason,
    params.trigger,
    params.from,
    params.to,
    params.size !== PAGE_SIZES[0],
  ].filter(Boolean).length;
  return (
    <form method="get" action="/admin" className="filters" role="search" aria-label="Filter the queue">
      <div className="field">
        <label htmlFor="q">Search</label>
        <input
          id="q"
          name="q"
          type="search"
          placeholder="Email, name, booking uid, submission ID"
          defaultValue={params.q ?? ""}
        />
      </div>
      <MoreFilters active={set}>
        <SelectField
          id="status"
          name="status"
          label="Status"
          defaultValue={params.status}
          options={optionsOf(FAILURE_STATUSES)}
        />
        <SelectField
          id="reason"
          name="reason"
          label="Reason"
          defaultValue={params.reason ?? ""}
          options={optionsOf(FAILURE_REASONS, humanize)}
          any
        />
        <SelectField
          id="trigger"
          name="trigger"
          label="Trigger"
          defaultValue={params.trigger ?? ""}
          options={optionsOf(LEAD_TRIGGERS, triggerLabel)}
          any
        />
        <div className="field">
          <label htmlFor="from">Received from</label>
          <input id="from" name="from" type="date" defaultValue={params.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="to">Received to</label>
          <input id="to" name="to" type="date" defaultValue={params.to ?? ""} />
        </div>
        <SelectField
          id="size"
          name="size"
          label="Per page"
          defaultValue={String(params.size)}
          options={optionsOf(PAGE_SIZES.map(String))}
        />
      </MoreFilters>
      <input type="hidden" name="sort" value={params.sort} />
      <input type="hidden" name="dir" value={params.dir} />
      <button type="submit">Apply filters</button>
      <Link href="/admin">Reset</Link>
    </form>
  );
}
