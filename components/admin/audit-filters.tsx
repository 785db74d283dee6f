import { AUDIT_ACTIONS } from "@/lib/audit/audit-actions";
import type { AuditParams } from "@/lib/audit/audit-params";

export function AuditFilters({ params }: { params: AuditParams }) {
  return (
    <form method="get" action="/admin/audit" className="filters" role="search" aria-label="Filter the audit trail">
      <div className="field">
        <label htmlFor="actor">Person</label>
        <input id="actor" name="actor" type="search" defaultValue={params.actor ?? ""} placeholder="Email or id" />
      </div>
      <div className="field">
        <label htmlFor="action">Action</label>
        <select id="action" name="action" defaultValue={params.action ?? ""}>
          <option value="">any</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="lead">Lead id</label>
        <input id="lead" name="lead" defaultValue={params.lead ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="audit-from">From</label>
        <input id="audit-from" name="from" type="date" defaultValue={params.from ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="audit-to">To</label>
        <input id="audit-to" name="to" type="date" defaultValue={params.to ?? ""} />
      </div>
      {params.failure ? <input type="hidden" name="failure" value={params.failure} /> : null}
      <button type="submit">Apply filters</button>
      <a href="/admin/audit">Reset</a>
    </form>
  );
}
