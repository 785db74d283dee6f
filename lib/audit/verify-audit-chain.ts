import type { Sql } from "../db/database";

export type ChainVerdict =
  | { intact: true; rows: number; headSeq: number | null; headHash: string | null }
  | { intact: false; rows: number; brokenSeq: number; problem: string };

/** A point on the chain already known good: verification can continue from it. */
export interface ChainPoint {
  seq: number;
  hash: string;
}

const BATCH = 5000;

export async function chainAnchor(sql: Sql): Promise<ChainPoint | null> {
  const [anchor] = await sql<ChainPoint>`select seq, row_hash as hash from public.audit_chain_anchor`;
  return anchor ?? null;
}

/**
 * Walks the chain in order from `from` (or its start or retention anchor), a batch at a time (constant memory), recomputing
 * each row's hash in the database with the function the insert trigger uses. Names the first row whose
 * content or link is wrong: an edited row fails its own hash, a deleted or reordered one breaks the next
 * row's link.
 */
export async function verifyAuditChain(sql: Sql, from: ChainPoint | null = null): Promise<ChainVerdict> {
  // Entries removed by retention leave an anchor: the chain is verified from there.
  const start = from ?? (await chainAnchor(sql));
  let previousHash: string | null = start?.hash ?? null;
  let previousSeq = start?.seq ?? 0;
  let rows = 0;
  for (;;) {
    const batch = await sql<{ seq: number; prevHash: string | null; rowHash: string; expected: string }>`
      select chain_seq as seq, prev_hash as "prevHash", row_hash as "rowHash",
        public.audit_log_row_hash(prev_hash, a) as expected
      from public.audit_log a
      where chain_seq > ${previousSeq}
      order by chain_seq
      limit ${BATCH}`;
    for (const row of batch) {
      rows += 1;
      if (row.seq !== previousSeq + 1) {
        return { intact: false, rows, brokenSeq: row.seq, problem: `row ${previousSeq + 1} is missing before it` };
      }
      if (row.prevHash !== previousHash) {
        return { intact: false, rows, brokenSeq: row.seq, problem: "its link to the previous row does not match" };
      }
      if (row.rowHash !== row.expected) {
        return { intact: false, rows, brokenSeq: row.seq, problem: "its content does not match its hash" };
      }
      previousHash = row.rowHash;
      previousSeq = row.seq;
    }
    if (batch.length < BATCH) {
      return { intact: true, rows, headSeq: previousSeq === 0 ? null : previousSeq, headHash: previousHash };
    }
  }
}
