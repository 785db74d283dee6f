import type { Database, Sql } from "../db/database";
import { type ChainKeys, chainMac } from "./chain-key";
import { type ChainPoint, type SignableEntry, chainHead, sealText } from "./sealed-entry";

export const SEAL_BATCH = 2000;

export interface SealReport {
  sealed: number;
  head: ChainPoint | null;
  /** Another sealer (another instance) held the chain: nothing was done, and nothing needs to be. */
  busy: boolean;
}

/**
 * Seals committed entries into the chain, in the order this pass first sees them: each gets the next sequence
 * number and HMAC(key, seq | previous mac | entry). Only one sealer runs at a time (a try-lock: another
 * instance just skips), and the lock covers this short transaction only, never a writer's. The pass reads
 * entries whose transaction is at or after the horizon the last seal recorded: every older transaction had
 * finished, and its entries were sealed then.
 */
export async function sealAuditChain(db: Database, keys: ChainKeys): Promise<SealReport> {
  return db.transaction(async (tx) => {
    const [lock] = await tx<{ locked: boolean }>`
      select pg_try_advisory_xact_lock(hashtextextended('booking-handoff:audit-sealer', 0)) as locked`;
    if (!lock.locked) return { sealed: 0, head: null, busy: true };
    // Taken before reading, so every transaction older than it is visible to the read below.
    const [{ horizon }] = await tx<{
      horizon: string;
    }>`select pg_snapshot_xmin(pg_current_snapshot())::text as horizon`;
    const head = await chainHead(tx);
    const [last] = await tx<{
      horizon: string;
    }>`select horizon::text as horizon from public.audit_seals order by seq desc limit 1`;
    const pending = await tx<SignableEntry & { id: number }>`
      select e.* from public.audit_entry_text e
      where e.xact_id >= ${last?.horizon ?? "0"}::xid8
        and not exists (select 1 from public.audit_seals s where s.entry_id = e.id)
      order by e.id
      limit ${SEAL_BATCH}`;
    if (pending.length === 0) return { sealed: 0, head, busy: false };

    // A full batch may have left entries behind: keep the old horizon so the next pass reads them too.
    const nextHorizon = pending.length < SEAL_BATCH ? horizon : (last?.horizon ?? "0");
    let previous = head ?? { seq: 0, mac: "" };
    const seals = pending.map((entry) => {
      const seq = previous.seq + 1;
      const mac = chainMac(keys.signing.key, sealText(seq, previous.mac, entry));
      previous = { seq, mac };
      return { seq, entryId: entry.id, mac };
    });
    // The database takes them only at the chain's next place (20261207000000_seals_only_in_chain_order.sql).
    await tx`
      select public.append_audit_seals(${seals[0].seq}, ${seals.map((s) => s.entryId)}::bigint[],
        ${seals.map((s) => s.mac)}::text[], ${keys.signing.id}, ${nextHorizon}::xid8)`;
    return { sealed: seals.length, head: previous, busy: false };
  });
}

/**
 * Entries still waiting for their seal: those of transactions at or after the last seal's horizon (every older
 * one was sealed when that seal was made). Two reads so the horizon reaches the planner as a value and the
 * count walks only the index's recent end, not the whole trail; the full check still looks at every entry.
 */
export async function countWaitingForSeal(sql: Sql): Promise<number> {
  const [last] = await sql<{ horizon: string }>`
    select horizon::text as horizon from public.audit_seals order by seq desc limit 1`;
  const [{ waiting }] = await sql<{ waiting: number }>`
    select count(*)::int as waiting from public.audit_log a
    where a.xact_id >= ${last?.horizon ?? "0"}::xid8
      and not exists (select 1 from public.audit_seals s where s.entry_id = a.id)`;
  return waiting;
}

/**
 * Seals until nothing is left (a backlog after downtime, or a first run over entries from before sealing).
 */
export async function sealEverything(db: Database, keys: ChainKeys): Promise<SealReport> {
  let total = 0;
  for (;;) {
    const report = await sealAuditChain(db, keys);
    total += report.sealed;
    if (report.busy || report.sealed < SEAL_BATCH) return { ...report, sealed: total };
  }
}
