import { z } from "zod";
import type { CspViolation } from "../db/queries/csp-reports";

/**
 * Reads both report formats browsers send: report-uri's `application/csp-report` and the Reporting API's
 * list.
 */
const clipped = z
  .unknown()
  .optional()
  // PostgreSQL text cannot hold NUL: it becomes U+FFFD, as in every body we keep.
  .transform((value) =>
    typeof value === "string" || typeof value === "number"
      ? String(value).slice(0, 2000).replaceAll("\u0000", "\uFFFD")
      : null,
  );

const legacyReport = z.object({
  "csp-report": z.object({
    "document-uri": clipped,
    "blocked-uri": clipped,
    "effective-directive": clipped,
    "violated-directive": clipped,
    disposition: clipped,
    "source-file": clipped,
    "script-sample": clipped,
  }),
});

const reportingApiReports = z
  .array(
    z.object({
      type: z.string(),
      body: z.object({
        documentURL: clipped,
        blockedURL: clipped,
        effectiveDirective: clipped,
        disposition: clipped,
        sourceFile: clipped,
        sample: clipped,
      }),
    }),
  )
  .max(50);

export const MAX_REPORTS_PER_REQUEST = 20;

export function parseCspReports(json: unknown): CspViolation[] | null {
  const legacy = legacyReport.safeParse(json);
  if (legacy.success) {
    const r = legacy.data["csp-report"];
    return [
      {
        documentUri: r["document-uri"],
        blockedUri: r["blocked-uri"],
        effectiveDirective: r["effective-directive"] ?? r["violated-directive"],
        disposition: r.disposition,
        sourceFile: r["source-file"],
        sample: r["script-sample"],
      },
    ];
  }
  const modern = reportingApiReports.safeParse(json);
  if (!modern.success) return null;
  return modern.data
    .filter((report) => report.type === "csp-violation")
    .slice(0, MAX_REPORTS_PER_REQUEST)
    .map(({ body }) => ({
      documentUri: body.documentURL,
      blockedUri: body.blockedURL,
      effectiveDirective: body.effectiveDirective,
      disposition: body.disposition,
      sourceFile: body.sourceFile,
      sample: body.sample,
    }));
}
