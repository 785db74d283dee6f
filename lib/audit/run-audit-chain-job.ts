import type { Database } from "../db/database";
import { logger } from "../log/logger";
import { type Checkpoint, anchorLine, appendAnchor, readAnchors, writeCheckpoint } from "./audit-checkpoint";
import type { AuditChainConfig } from "./audit-chain-config";
import { sealedByThisProcess } from "./audit-sealer";
import { recordChainCheck } from "./chain-checks";
import { sealEverything } from "./seal-audit-chain";
import { type ChainVerdict, verifyAuditChain } from "./verify-audit-chain";

export interface AuditChainJobReport {
  sealed: number;
  checkpoint: Checkpoint | null;
  verdict: ChainVerdict | { intact: false; rows: 0; brokenSeq: null; entryId: null; problem: string };
}

/** Every signed head known from outside the database: the anchor file, and what this process sealed last. */
export async function externalAnchors(config: AuditChainConfig) {
  const fromFile = await readAnchors(config.anchorFile ?? undefined);
  const sealed = sealedByThisProcess();
  return [...fromFile, ...(sealed ? [{ headSeq: sealed.seq, headMac: sealed.mac }] : [])];
}

/** A full verification with every anchor this server knows, recorded as a check by `checkedBy`. */
export async function verifyWholeChain(
  db: Database,
  config: AuditChainConfig,
  checkedBy: string,
): Promise<AuditChainJobReport["verdict"]> {
  if (!config.keys)
    return {
      intact: false,
      rows: 0,
      brokenSeq: null,
      entryId: null,
      problem: "AUDIT_CHAIN_KEY is not set, so the chain cannot be sealed or verified",
    };
  const verdict = await verifyAuditChain(db.sql, {
    keys: config.keys,
    externalAnchors: await externalAnchors(config),
    retentionDays: config.retentionDays,
  });
  await recordChainCheck(db.sql, verdict, checkedBy);
  return verdict;
}

/**
 * The scheduled part of the chain's protection (the cron route and `npm run health:check`): seal what is
 * left, sign the head and copy it outside the database (a log line; the anchor file), then verify the whole
 * chain, streamed. The caller alerts on a break and posts the head to the chat.
 */
export async function runAuditChainJob(
  db: Database,
  config: AuditChainConfig,
  checkedBy: string,
): Promise<AuditChainJobReport> {
  if (!config.keys)
    return { sealed: 0, checkpoint: null, verdict: await verifyWholeChain(db, config, checkedBy) };
  const { sealed } = await sealEverything(db, config.keys);
  const checkpoint = await writeCheckpoint(db, config.keys);
  if (checkpoint) {
    logger().info({ event: "audit.anchor", ...checkpoint }, anchorLine(checkpoint));
    if (config.anchorFile) await appendAnchor(config.anchorFile, checkpoint);
  }
  return { sealed, checkpoint, verdict: await verifyWholeChain(db, config, checkedBy) };
}
