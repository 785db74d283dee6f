import Link from "next/link";
import { AUDIT_ACTIONS } from "@/lib/audit/audit-actions";
import type { AuditParams } from "@/lib/audit/audit-params";
import { actionLabel } from "./labels";
import { MoreFilters } from "./more-filters";
import { SelectField, optionsOf } from "./select-field";

export function AuditFilters({ params }: { params: AuditParams }) {
  const set = [params.action, params.lead, params.from, params.to].filter(Boolean).length;
  return (
    <form
      method="get"
      action="/admin/audit"
      className="filters"
      role="search"
      aria-label="Filter the audit trail"
    >
      <div className="field">
        <label htmlFor="actor">Person</label>
        <input
          id="actor"
          name="actor"
          type="search"
          defaultValue={params.actor ?? ""}
          placeholder="Email or id"
        />
      </div>
      <MoreFilters active={set}>
        <SelectField
          id="action"
          name="action"
          label="Action"
          defaultValue={params.action ?? ""}
          options={optionsOf(AUDIT_ACTIONS, actionLabel)}
          any
        />
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
      </MoreFilters>
      {params.failure ? <input type="hidden" name="failure" value={params.failure} /> : null}
      <button type="submit">Apply filters</button>
      <Link href="/admin/audit">Reset</Link>
    </form>
  );
}
