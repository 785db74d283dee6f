import type { Sql } from "../db/database";
import { readAuditEntries } from "./audit-entry";
import { type ExportFormat, csvHeader, csvLine, jsonLine } from "./audit-export-format";
import type { AuditParams } from "./audit-params";

export const EXPORT_BATCH_SIZE = 1000;

/**
 * The filtered trail as a byte stream, read a batch at a time only when the client has taken the last
 * one, so memory stays flat however many rows match. Keyset reads downwards from the newest row; rows
 * appended meanwhile sit above the first batch and do not join a running export.
 */
export function streamAuditExport(
  sql: Sql,
  params: AuditParams,
  format: ExportFormat,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let beforeId: number | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const batch = await readAuditEntries(sql, params, beforeId, EXPORT_BATCH_SIZE);
        const head = !started && format === "csv" ? csvHeader() : "";
        started = true;
        const body = batch.map(format === "csv" ? csvLine : jsonLine).join("");
        if (head || body) controller.enqueue(encoder.encode(head + body));
        if (batch.length < EXPORT_BATCH_SIZE) {
          controller.close();
          return;
        }
        beforeId = batch[batch.length - 1].id;
      },
    },
    { highWaterMark: 1 },
  );
}
