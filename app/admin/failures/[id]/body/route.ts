import { z } from "zod";
import { requireStaffRoute } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import { loadFailureBody } from "@/lib/failure-queue/load-failure-detail";

const uuid = z.uuid();

/**
 * GET /admin/failures/:id/body: the item's stored body exactly as it arrived, as a download (staff). The page
 * shows a long or deeply nested body only in part; this is the whole of it, never rendered by us.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const caller = await requireStaffRoute(request, "staff");
  if (caller instanceof Response) return caller;
  const id = uuid.safeParse((await params).id);
  const body = id.success ? await loadFailureBody((await getDatabase()).sql, id.data) : undefined;
  if (!body) return Response.json({ error: "No such item." }, { status: 404 });
  return new Response(body.rawBody, {
    headers: {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="cal-delivery-${body.eventId}.json"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
