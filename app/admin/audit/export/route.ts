import { z } from "zod";
import { EXPORT_FORMATS } from "@/lib/audit/audit-export-format";
import { parseAuditParams } from "@/lib/audit/audit-params";
import { recordAuditExport } from "@/lib/audit/record-audit-export";
import { streamAuditExport } from "@/lib/audit/stream-audit-export";
import { requireStaffRoute } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";

const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
} as const;

/** GET /admin/audit/export?format=csv|jsonl&…filters: managers only, audited, streamed. */
export async function GET(request: Request) {
  const caller = await requireStaffRoute(request, "manager");
  if (caller instanceof Response) return caller;
  // A download started by another site's page is refused: the export is audited under the manager's name.
  if (request.headers.get("sec-fetch-site") === "cross-site") {
    return Response.json({ error: "Cross-site request refused." }, { status: 403 });
  }
  const search = Object.fromEntries(new URL(request.url).searchParams);
  const format = z.enum(EXPORT_FORMATS).safeParse(search.format);
  if (!format.success) return Response.json({ error: "format must be csv or jsonl" }, { status: 400 });
  const params = parseAuditParams(search);

  const db = await getDatabase();
  await recordAuditExport(db.sql, format.data, params, caller);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(streamAuditExport(db.sql, params, format.data), {
    headers: {
      "content-type": CONTENT_TYPES[format.data],
      "content-disposition": `attachment; filename="audit-trail-${day}.${format.data}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
