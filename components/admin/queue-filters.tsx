import { LEAD_TRIGGERS } from "@/lib/cal/event";
import { FAILURE_REASONS, FAILURE_STATUSES, PAGE_SIZES, type QueueParams } from "@/lib/failure-queue/queue-params";
import { humanize } from "./format";

/** A plain GET form: the filters become the URL, so they work without JavaScript and the back button undoes them. */
export function QueueFilters({ params }: { params: QueueParams }) {
  return (
    <form method="get" action="/admin" className="filters" role="search" aria-label="Filter the queue">
      <div className="field">
        <label htmlFor="q">Search</label>
        <input id="q" name="q" type="search" placeholder="Email, name, booking uid, submission ID" defaultValue={params.q ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="status">Status</label>
        <select id="status" name="status" defaultValue={params.status}>
          {FAILURE_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="reason">Reason</label>
        <select id="reason" name="reason" defaultValue={params.reason ?? ""}>
          <option value="">any</option>
          {FAILURE_REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {humanize(reason)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="trigger">Trigger</label>
        <select id="trigger" name="trigger" defaultValue={params.trigger ?? ""}>
          <option value="">any</option>
          {LEAD_TRIGGERS.map((trigger) => (
            <option key={trigger} value={trigger}>
              {trigger}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="from">Received from</label>
        <input id="from" name="from" type="date" defaultValue={params.from ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="to">Received to</label>
        <input id="to" name="to" type="date" defaultValue={params.to ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="size">Per page</label>
        <select id="size" name="size" defaultValue={String(params.size)}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <input type="hidden" name="sort" value={params.sort} />
      <input type="hidden" name="dir" value={params.dir} />
      <button type="submit">Apply filters</button>
      <a href="/admin">Reset</a>
    </form>
  );
}
