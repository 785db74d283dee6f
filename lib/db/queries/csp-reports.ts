import type { Sql } from "../database";

export interface CspViolation {
  documentUri: string | null;
  blockedUri: string | null;
  effectiveDirective: string | null;
  disposition: string | null;
  sourceFile: string | null;
  sample: string | null;
}

export async function insertCspReports(
  sql: Sql,
  reports: CspViolation[],
  userAgent: string | null,
): Promise<void> {
  for (const r of reports) {
    await sql`
      insert into public.csp_reports (document_uri, blocked_uri, effective_directive, disposition, source_file, sample, user_agent)
      values (${r.documentUri}, ${r.blockedUri}, ${r.effectiveDirective}, ${r.disposition}, ${r.sourceFile}, ${r.sample}, ${userAgent})`;
  }
}
