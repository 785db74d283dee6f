import { type AuditEntryRow, fieldDiff } from "./audit-entry";

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CSV_COLUMNS = [
  "id", "seal_seq", "occurred_at", "actor_type", "actor_id", "actor_email", "actor_role", "action", "lead_id", "failure_id",
  "webhook_event_id", "reason", "changes", "before", "after", "ip", "user_agent", "request_id", "seal_mac",
] as const;

/**
 * One CSV cell. Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe, so an attacker-controlled reason or user agent cannot execute in a manager's spreadsheet.
 */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const contextField = (entry: AuditEntryRow, key: string) => entry.requestContext?.[key] ?? null;

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\r\n`;
}

export function csvLine(entry: AuditEntryRow): string {
  const changes = fieldDiff(entry).map((d) => `${d.field}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)}`);
  const cells = [
    entry.id, entry.seq, entry.occurredAt, entry.actorType, entry.actorId, entry.actorEmail, entry.actorRole, entry.action,
    entry.leadId, entry.failureId, entry.webhookEventId, entry.reason, changes.join("; "), entry.before, entry.after,
    contextField(entry, "ip"), contextField(entry, "userAgent"), contextField(entry, "requestId"), entry.sealMac,
  ];
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export function jsonLine(entry: AuditEntryRow): string {
  return `${JSON.stringify({ ...entry, changes: fieldDiff(entry) })}\n`;
}
