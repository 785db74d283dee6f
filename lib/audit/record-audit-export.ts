import type { Sql } from "../db/database";
import { appendAudit } from "./append-audit";
import { type StaffCaller, actorOf } from "./staff-actor";
import type { ExportFormat } from "./audit-export-format";
import type { AuditParams } from "./audit-params";

/** An export is itself audited, before the first byte leaves: who took which slice of the trail, and how. */
export async function recordAuditExport(
  sql: Sql,
  format: ExportFormat,
  params: AuditParams,
  decision: StaffCaller,
) {
  const filter = { ...params, before: undefined };
  await appendAudit(sql, {
    actor: actorOf(decision.staff),
    action: "audit.exported",
    after: { format, filter },
    requestContext: decision.context,
  });
}
