import { appendAudit } from "@/lib/audit/append-audit";
import { chainKeysOf } from "@/lib/audit/chain-key";
import { sealEverything } from "@/lib/audit/seal-audit-chain";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import type { Database } from "@/lib/db/database";

export const TEST_CHAIN_KEY = "audit-chain-test-key-0123456789abcdef0123456789";
export const TEST_CHAIN_KEYS = chainKeysOf([TEST_CHAIN_KEY])!;

export const appendTestEntry = (db: Database, n: number) =>
  appendAudit(db.sql, {
    actor: { type: "system", id: "test" },
    action: "backfill.run",
    reason: `entry ${n}`,
    after: { n },
  });

export const seal = (db: Database) => sealEverything(db, TEST_CHAIN_KEYS);

export const verify = (db: Database, options: Partial<Parameters<typeof verifyAuditChain>[1]> = {}) =>
  verifyAuditChain(db.sql, { keys: TEST_CHAIN_KEYS, retentionDays: 365, ...options });

/**
 * What the table owner can do that the app cannot: change rows with the append-only triggers switched off.
 */
export async function behindTheAppsBack(
  owner: Database,
  work: (tx: Parameters<Parameters<Database["transaction"]>[0]>[0]) => Promise<unknown>,
) {
  await owner.transaction(async (tx) => {
    await tx`alter table public.audit_log disable trigger user`;
    await tx`alter table public.audit_seals disable trigger user`;
    await tx`alter table public.audit_checkpoints disable trigger user`;
    await work(tx);
    await tx`alter table public.audit_log enable trigger user`;
    await tx`alter table public.audit_seals enable trigger user`;
    await tx`alter table public.audit_checkpoints enable trigger user`;
  });
}

/** Seal numbers and entry ids in chain order. */
export async function sealsInOrder(db: Database) {
  return db.sql<{
    seq: number;
    entryId: number;
  }>`select seq, entry_id as "entryId" from public.audit_seals order by seq`;
}

/** Empties the trail (as the owner can), so each test starts from a chain of its own. */
export async function resetChain(owner: Database) {
  await behindTheAppsBack(owner, async (tx) => {
    await tx`delete from public.audit_seals`;
    await tx`delete from public.audit_checkpoints`;
    await tx`delete from public.audit_chain_anchor`;
    await tx`delete from public.audit_chain_checks`;
    await tx`delete from public.audit_log`;
  });
}
