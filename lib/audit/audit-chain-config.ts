import path from "node:path";
import { type ServerEnv, pgliteDataDir } from "../env";
import { type ChainKeys, chainKeysOf } from "./chain-key";

export interface AuditChainConfig {
  /** Null without AUDIT_CHAIN_KEY: entries are kept but not sealed, and the chain cannot be verified. */
  keys: ChainKeys | null;
  /** Signed heads are also appended here (outside the database); null where the host has no lasting disk. */
  anchorFile: string | null;
  retentionDays: number;
}

export function auditChainConfigOf(env: ServerEnv): AuditChainConfig {
  const embeddedDefault = env.DATABASE_URL ? null : `${path.resolve(pgliteDataDir(env))}-audit-anchors.jsonl`;
  return {
    keys: chainKeysOf(env.AUDIT_CHAIN_KEY),
    anchorFile: env.AUDIT_ANCHOR_FILE ?? embeddedDefault,
    retentionDays: env.RETENTION_AUDIT_DAYS,
  };
}
