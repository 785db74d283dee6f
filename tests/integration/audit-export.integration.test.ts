import { describe, expect, it } from "vitest";
import { parseAuditParams } from "@/lib/audit/audit-params";
import { EXPORT_BATCH_SIZE, streamAuditExport } from "@/lib/audit/stream-audit-export";
import { type Sql, sqlHandle } from "@/lib/db/database";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();
const ROWS = 100_000;

const textReader = (stream: ReadableStream<Uint8Array>) =>
  stream.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();

/** The app's handle, recording how many rows each query returned. */
function countingSql(sql: Sql, largestRead: { rows: number; queries: number }): Sql {
  const counted = async <T>(rows: Promise<T[]>) => {
    const read = await rows;
    largestRead.rows = Math.max(largestRead.rows, read.length);
    largestRead.queries += 1;
    return read;
  };
  return sqlHandle(
    (strings, ...values) => counted(sql(strings, ...values)),
    (text, values) => counted(sql.query(text, values)),
  );
}

describe(`audit export on ${process.env.TEST_DB}`, () => {
  it(`streams ${ROWS.toLocaleString("en")} rows as CSV a batch at a time, never reading them all at once`, async () => {
    await t.db.sql`
      insert into public.audit_log (actor_type, actor_id, actor_email, actor_role, action, reason, after, request_context)
      select 'staff', 'bulk', 'bulk@team.example', 'staff', 'failure.discarded', 'reason ' || n, jsonb_build_object('n', n),
        jsonb_build_object('ip', '198.51.100.1', 'userAgent', '=HYPERLINK("x")', 'requestId', 'r' || n)
      from generate_series(1, ${ROWS}::int) as n`;

    const largestRead = { rows: 0, queries: 0 };
    const stream = streamAuditExport(countingSql(t.db.sql, largestRead), parseAuditParams({}), "csv");
    const reader = textReader(stream);
    let lines = 0;
    let firstChunkAfterQueries = 0;
    let tail = "";
    let header = "";
    let sample = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (firstChunkAfterQueries === 0) firstChunkAfterQueries = largestRead.queries;
      const text = tail + value;
      const parts = text.split("\r\n");
      tail = parts.pop() ?? "";
      if (!header) [header, sample] = parts;
      lines += parts.length;
    }

    expect(header.startsWith(`"id","seal_seq","occurred_at","actor_type"`)).toBe(true);
    expect(lines).toBe(ROWS + 1);
    expect(firstChunkAfterQueries).toBe(1); // the first bytes leave after one batch, not after reading everything
    expect(largestRead.rows).toBeLessThanOrEqual(EXPORT_BATCH_SIZE);
    expect(largestRead.queries).toBeGreaterThanOrEqual(ROWS / EXPORT_BATCH_SIZE);
    // A user agent that a spreadsheet would run as a formula is defused.
    expect(sample).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it("JSON Lines carries each entry with its field diff, newest first, and honours the filter", async () => {
    const stream = streamAuditExport(
      t.db.sql,
      parseAuditParams({ actor: "bulk@team.example", action: "failure.discarded" }),
      "jsonl",
    );
    const reader = textReader(stream);
    const { value } = await reader.read();
    await reader.cancel();
    const first = JSON.parse(value!.split("\n")[0]);
    expect(first).toMatchObject({
      actorEmail: "bulk@team.example",
      action: "failure.discarded",
      after: { n: ROWS },
      changes: [{ field: "n", before: null, after: ROWS }],
    });
  });
});
