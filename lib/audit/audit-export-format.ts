import { type AuditEntryRow, fieldDiff } from "./audit-entry";

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CSV_COLUMNS = [
  "id",
  "seal_seq",
  "occurred_at",
  "actor_type",
  "actor_id",
  "actor_email",
  "actor_role",
  "action",
  "lead_id",
  "failure_id",
  "webhook_event_id",
  "reason",
  "changes",
  "before",
  "after",
  "ip",
  "user_agent",
  "request_id",
  "seal_mac",
] as const;

/**
 * One CSV cell, always quoted. Text a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets
 * an apostrophe in front, at the start and after anything a spreadsheet may take as a separator (`,` `;` tab
 * `|`, a line break): one set to split on semicolons would otherwise see `ok;=cmd|…` as a second cell that
 * runs. So an attacker-controlled reason, user agent or address cannot execute in a manager's spreadsheet;
 * the JSON Lines export keeps every value exactly.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '""';
  const text =
    typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  const afterSeparators = text.replace(/([,;\t|\r\n])( *)(?=[=+\-@\t\r])/g, "$1$2'");
  const inert = /^ *[=+\-@\t\r]/.test(afterSeparators) ? `'${afterSeparators}` : afterSeparators;
  return `"${inert.replaceAll('"', '""')}"`;
}

const contextField = (entry: AuditEntryRow, key: string) => entry.requestContext?.[key] ?? null;

export function csvHeader(): string {
  return `${CSV_COLUMNS.map(csvCell).join(",")}\r\n`;
}

export function csvLine(entry: AuditEntryRow): string {
  const changes = fieldDiff(entry).map(
    (d) => `${d.field}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)}`,
  );
  const cells = [
    entry.id,
    entry.seq,
    entry.occurredAt,
    entry.actorType,
    entry.actorId,
    entry.actorEmail,
    entry.actorRole,
    entry.action,
    entry.leadId,
    entry.failureId,
    entry.webhookEventId,
    entry.reason,
    changes.join("; "),
    entry.before,
    entry.after,
    contextField(entry, "ip"),
    contextField(entry, "userAgent"),
    contextField(entry, "requestId"),
    entry.sealMac,
  ];
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export function jsonLine(entry: AuditEntryRow): string {
  return `${JSON.stringify({ ...entry, changes: fieldDiff(entry) })}\n`;
}
