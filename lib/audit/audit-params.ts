import { z } from "zod";
import { AUDIT_ACTIONS } from "./audit-actions";
import { type SearchParams, flattenSearchParams, searchDay, searchText } from "../http/search-params";

/** The audit trail's filters, all in the URL; the export takes the same ones, so it exports what is shown. */
const auditParamsSchema = z.object({
  actor: searchText,
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  lead: z.uuid().optional().catch(undefined),
  failure: z.uuid().optional().catch(undefined),
  from: searchDay,
  to: searchDay,
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
});

export type AuditParams = z.infer<typeof auditParamsSchema>;

export function parseAuditParams(search: SearchParams): AuditParams {
  return auditParamsSchema.parse(flattenSearchParams(search));
}

export function auditQueryString(params: AuditParams, changes: Partial<AuditParams> = {}): string {
  const paging = "before" in changes;
  const next = { ...params, ...(paging ? {} : { before: undefined }), ...changes };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(next))
    if (value !== undefined && value !== "") query.set(key, String(value));
  return query.toString();
}
