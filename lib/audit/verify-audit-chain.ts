import type { Sql } from "../db/database";
import { type Checkpoint, checkpointText } from "./audit-checkpoint";
import { type ChainKeys, chainMac, macEquals } from "./chain-key";
import { type ChainPoint, type SignableEntry, sealText } from "./sealed-entry";

export type ChainVerdict =
  | { intact: true; rows: number; headSeq: number | null; headMac: string | null; checkpoints: number }
  | { intact: false; rows: number; brokenSeq: number | null; entryId: string | null; problem: string };

export interface VerifyOptions {
  keys: ChainKeys;
  /**
   * A point already verified: walk on from it (a page view) instead of from the chain's start (a full check).
   */
  from?: ChainPoint | null;
  /**
   * Signed heads kept outside the database (the anchor file, what this process sealed): the chain must still
   * hold them.
   */
  externalAnchors?: Pick<Checkpoint, "headSeq" | "headMac">[];
  /** How old a purged prefix must be: the retention period the anchor is checked against. */
  retentionDays: number;
  /** Entries older than this and still unsealed mean a seal was removed, or no sealer runs. */
  sealGraceMs?: number;
}

const BATCH = 5000;
const DAY_MS = 86_400_000;

const broken = (
  rows: number,
  brokenSeq: number | null,
  problem: string,
  entryId: string | null = null,
): ChainVerdict => ({
  intact: false,
  rows,
  brokenSeq,
  entryId,
  problem,
});

interface StoredCheckpoint extends Checkpoint {
  id: number;
}

async function readCheckpoints(sql: Sql): Promise<StoredCheckpoint[]> {
  return sql<StoredCheckpoint>`
    select id, head_seq as "headSeq", head_mac as "headMac",
      to_char(signed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "signedAt", key_id as "keyId", mac
    from public.audit_checkpoints order by head_seq`;
}

function checkpointIsSigned(checkpoint: Checkpoint, keys: ChainKeys): boolean {
  const key = keys.byId.get(checkpoint.keyId);
  return key !== undefined && macEquals(checkpoint.mac, chainMac(key, checkpointText(checkpoint)));
}

/**
 * Walks the sealed chain in order, a batch at a time (constant memory), recomputing every seal with the key
 * the database never holds. Names the first seal that fails: a missing one (entries removed), one whose entry
 * is gone, one whose entry was edited (or re-sealed without the key). A full check (no `from`) also holds the
 * chain to every signed checkpoint and external anchor (so entries cut off the end are caught), to the
 * retention anchor's proof, names any seal row outside the chain (at or below its start), and looks for old
 * entries that were never sealed.
 */
export async function verifyAuditChain(sql: Sql, options: VerifyOptions): Promise<ChainVerdict> {
  const { keys } = options;
  const full = options.from === undefined;
  const [anchor] = await sql<ChainPoint>`select seq, mac from public.audit_chain_anchor`;
  // A purge after the point a page view starts from moves the start up to the anchor.
  const start = [options.from, anchor]
    .filter((point): point is ChainPoint => !!point)
    .sort((a, b) => b.seq - a.seq)[0] ?? { seq: 0, mac: "" };

  const checkpoints = full ? await readCheckpoints(sql) : [];
  const forged = checkpoints.find((checkpoint) => !checkpointIsSigned(checkpoint, keys));
  if (forged)
    return broken(0, forged.headSeq, `checkpoint #${forged.id} is not signed by a key this server holds`);
  if (full && anchor) {
    const cutoff = Date.now() - options.retentionDays * DAY_MS;
    const proof = checkpoints.some((c) => c.headSeq >= anchor.seq && Date.parse(c.signedAt) <= cutoff);
    if (!proof) {
      return broken(
        0,
        anchor.seq,
        `entries up to #${anchor.seq} were removed, but no checkpoint signed more than ${options.retentionDays} days ago covers them`,
      );
    }
  }
  const expected = new Map<number, string>();
  for (const point of [...checkpoints, ...(options.externalAnchors ?? [])]) {
    if (point.headSeq > start.seq) expected.set(point.headSeq, point.headMac);
  }

  let previous = start;
  let rows = 0;
  for (;;) {
    const batch = await sql<SignableEntry & { seq: number; mac: string; key_id: string; present: boolean }>`
      select s.seq, s.mac, s.key_id, e.id is not null as present, e.entry_id, e.occurred_at, e.actor_type, e.actor_id,
        e.actor_email, e.actor_role, e.action, e.lead_id, e.webhook_event_id, e.failure_id, e.before, e.after, e.reason,
        e.request_context
      from public.audit_seals s left join public.audit_entry_text e on e.id = s.entry_id
      where s.seq > ${previous.seq}
      order by s.seq
      limit ${BATCH}`;
    for (const seal of batch) {
      rows += 1;
      if (seal.seq !== previous.seq + 1)
        return broken(rows, previous.seq + 1, `seal #${previous.seq + 1} is missing: entries were removed`);
      if (!seal.present) return broken(rows, seal.seq, `the entry sealed as #${seal.seq} is gone`);
      const key = keys.byId.get(seal.key_id);
      if (!key)
        return broken(
          rows,
          seal.seq,
          `#${seal.seq} is sealed with a key this server does not hold (key id ${seal.key_id})`,
          seal.entry_id,
        );
      if (!macEquals(seal.mac, chainMac(key, sealText(seal.seq, previous.mac, seal)))) {
        return broken(
          rows,
          seal.seq,
          `entry #${seal.seq} does not match its seal: it was edited, or sealed without the key`,
          seal.entry_id,
        );
      }
      const known = expected.get(seal.seq);
      if (known !== undefined && !macEquals(known, seal.mac)) {
        return broken(
          rows,
          seal.seq,
          `#${seal.seq} differs from the signed checkpoint of it: the chain was rewritten from here`,
          seal.entry_id,
        );
      }
      previous = { seq: seal.seq, mac: seal.mac };
    }
    if (batch.length < BATCH) break;
  }

  const beyond = [...expected.keys()].filter((seq) => seq > previous.seq);
  if (beyond.length > 0) {
    return broken(
      rows,
      previous.seq + 1,
      `a signed checkpoint names entry #${Math.max(...beyond)}, but the chain ends at #${previous.seq}: entries were cut off the end`,
    );
  }
  if (full) {
    const [outside] = await sql<{ seq: number; entryId: string }>`
      select seq, entry_id::text as "entryId" from public.audit_seals where seq <= ${start.seq} order by seq limit 1`;
    if (outside) {
      return broken(
        rows,
        outside.seq,
        `seal #${outside.seq} of entry ${outside.entryId} is outside the chain (the sealer did not make it): entry ${outside.entryId} is unsealed`,
        outside.entryId,
      );
    }
    const grace = `${Math.round((options.sealGraceMs ?? 120_000) / 1000)} seconds`;
    const [unsealed] = await sql<{ n: number; first: string | null }>`
      select count(*)::int as n, min(a.id)::text as first from public.audit_log a
      where a.occurred_at < now() - ${grace}::interval
        and not exists (select 1 from public.audit_seals s where s.entry_id = a.id)`;
    if (unsealed.n > 0) {
      return broken(
        rows,
        null,
        `${unsealed.n} entr${unsealed.n === 1 ? "y is" : "ies are"} older than ${grace} and not sealed (a seal was removed, or no sealer runs)`,
        unsealed.first,
      );
    }
  }
  return {
    intact: true,
    rows,
    headSeq: previous.seq === 0 ? null : previous.seq,
    headMac: previous.mac || null,
    checkpoints: checkpoints.length,
  };
}
