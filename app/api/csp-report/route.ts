import { parseCspReports } from "@/lib/csp-report/parse-csp-reports";
import { getDatabase } from "@/lib/db/client";
import { insertCspReports } from "@/lib/db/queries/csp-reports";
import { hashedBucket, reserveRateLimit } from "@/lib/db/queries/rate-limit-hits";
import { serverEnv } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";
import { readBodyWithLimit } from "@/lib/http/read-body-with-limit";

const MAX_REPORT_BYTES = 16 * 1024;

/** Records CSP violations browsers report. Size-capped and rate-limited per client and in all: anyone can post here. */
export async function POST(request: Request): Promise<Response> {
  const read = await readBodyWithLimit(request, MAX_REPORT_BYTES);
  if (read.kind !== "read") return new Response(null, { status: read.kind === "too_large" ? 413 : 408 });
  let reports;
  try {
    reports = parseCspReports(JSON.parse(new TextDecoder().decode(read.body)));
  } catch {
    reports = null;
  }
  if (!reports) return new Response(null, { status: 400 });
  if (reports.length === 0) return new Response(null, { status: 204 });

  const env = serverEnv();
  const client = clientAddress(request.headers, env.TRUSTED_PROXY);
  const db = await getDatabase();
  await db.transaction(async (tx) => {
    // A client's own budget first, so one sender cannot spend the shared one and silence everybody else's.
    const admitted =
      (await reserveRateLimit(
        tx,
        hashedBucket("csp-report-client", client),
        3600,
        env.CSP_REPORT_LIMIT_PER_CLIENT_PER_HOUR,
      )) && (await reserveRateLimit(tx, "csp-report", 3600, env.CSP_REPORT_LIMIT_PER_HOUR));
    if (admitted)
      await insertCspReports(tx, reports, request.headers.get("user-agent")?.slice(0, 500) ?? null);
  });
  return new Response(null, { status: 204 });
}
