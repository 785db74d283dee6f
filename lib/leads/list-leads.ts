import { z } from "zod";
import type { Sql } from "../db/database";
import { type Fragment, allOf, fragment, runFragment } from "../db/fragment";
import { decodeCursor, encodeCursor } from "../db/keyset-cursor";
import { containsPattern } from "../db/like-pattern";
import { type SearchParams, firstValue, searchText } from "../http/search-params";
import { STAGES } from "../reconcile/booking-fields";

const leadsParamsSchema = z.object({
  q: searchText,
  stage: z.enum(STAGES).optional().catch(undefined),
  after: z.string().max(200).optional().catch(undefined),
});

export type LeadsParams = z.infer<typeof leadsParamsSchema>;

export function parseLeadsParams(search: SearchParams): LeadsParams {
  return leadsParamsSchema.parse({
    q: firstValue(search.q),
    stage: firstValue(search.stage),
    after: firstValue(search.after),
  });
}

export interface LeadListRow {
  id: string;
  name: string;
  email: string;
  company: string | null;
  stage: string;
  calBookingUid: string | null;
  bookingStart: Date | null;
  createdAt: Date;
  duplicateOf: string | null;
  sortValue: string;
}

export const LEADS_PAGE_SIZE = 50;

/** Newest leads first, by keyset; search covers name, email, company, submission id and booking uids. */
export async function listLeads(
  sql: Sql,
  params: LeadsParams,
  limit = LEADS_PAGE_SIZE,
): Promise<{ rows: LeadListRow[]; nextCursor: string | null }> {
  const parts: Fragment[] = [fragment`merged_into is null`];
  if (params.stage) parts.push(fragment`stage = ${params.stage}`);
  if (params.q) {
    const pattern = containsPattern(params.q);
    parts.push(fragment`(name ilike ${pattern} or email ilike ${pattern} or company ilike ${pattern}
      or submission_id ilike ${pattern} or cal_booking_uid ilike ${pattern} or id in (select lead_id from public.booking_uids where uid = ${params.q}))`);
  }
  const edge = decodeCursor(params.after);
  if (edge) parts.push(fragment`(created_at, id) < (${edge.value}::text::timestamptz, ${edge.id}::uuid)`);
  const rows = await runFragment<LeadListRow>(
    sql,
    fragment`
    select id, name, email, company, stage, cal_booking_uid as "calBookingUid", booking_start as "bookingStart",
      created_at as "createdAt", duplicate_of as "duplicateOf", to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "sortValue"
    from public.leads
    where ${allOf(parts)}
    order by created_at desc, id desc
    limit ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor({ value: last.sortValue, id: last.id }) : null,
  };
}
