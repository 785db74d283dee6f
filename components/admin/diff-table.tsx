import { formatValue } from "./format";
import { STATE_FIELDS, fieldLabel, stateLabel } from "./labels";

export interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
}

function shown(field: string, value: unknown): string {
  return STATE_FIELDS.has(field) && typeof value === "string" ? stateLabel(value) : formatValue(value);
}

/** A field-by-field before → after table: the diff preview and the audit trail show changes the same way. */
export function DiffTable({ rows, caption }: { rows: DiffRow[]; caption: string }) {
  if (rows.length === 0) return <p className="muted">No field changes.</p>;
  return (
    <table className="data-table diff">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.field}>
            <th scope="row">{fieldLabel(row.field)}</th>
            <td className="before" data-label="Before">
              {shown(row.field, row.before)}
            </td>
            <td className="after" data-label="After">
              {shown(row.field, row.after)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
