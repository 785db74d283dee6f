import { z } from "zod";
import { type SearchParams, firstValue } from "../http/search-params";

/** The audit trail's filters, all in the URL; the export takes the same ones, so it exports what is shown. */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((value) => !Number.isNaN(Date.parse(value)));
const text = z.string().trim().max(200).optional().catch(undefined).transform((value) => value || undefined);

const auditParamsSchema = z.object({
  actor: text,
  action: z.string().regex(/^[a-z_.]{1,60}$/).optional().catch(undefined),
  lead: z.uuid().optional().catch(undefined),
  failure: z.uuid().optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export type AuditParams = z.infer<typeof auditParamsSchema>;

export function parseAuditParams(search: SearchParams): AuditParams {
  return auditParamsSchema.parse(Object.fromEntries(Object.entries(search).map(([key, value]) => [key, firstValue(value)])));
}

export function auditQueryString(params: AuditParams, changes: Partial<AuditParams> = {}): string {
  const paging = "before" in changes;
  const next = { ...params, ...(paging ? {} : { before: undefined }), ...changes };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(next)) if (value !== undefined && value !== "") query.set(key, String(value));
  return query.toString();
}
