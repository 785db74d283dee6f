import type { Database } from "../db/database";
import { causeOf, logger } from "../log/logger";
import { appendAnchor, latestCheckpointAge, writeCheckpoint } from "./audit-checkpoint";
import type { AuditChainConfig } from "./audit-chain-config";
import { sealEverything } from "./seal-audit-chain";
import type { ChainPoint } from "./sealed-entry";

/** How often a running server seals, and how old the newest signed checkpoint may get. */
export const SEAL_INTERVAL_MS = 1000;
export const CHECKPOINT_EVERY_MS = 3_600_000;

const state = globalThis as typeof globalThis & {
  bookingHandoffSealer?: { timer: NodeJS.Timeout; lastSealed: ChainPoint | null; lastProblemAt: number };
};

/**
 * The head this process sealed last: kept in memory, so a chain cut below it is caught while the server runs.
 */
export function sealedByThisProcess(): ChainPoint | null {
  return state.bookingHandoffSealer?.lastSealed ?? null;
}

async function sealOnce(db: Database, config: AuditChainConfig): Promise<void> {
  if (!config.keys) return;
  const report = await sealEverything(db, config.keys);
  const sealer = state.bookingHandoffSealer;
  if (sealer && report.head && report.sealed > 0) sealer.lastSealed = report.head;
  const age = await latestCheckpointAge(db.sql);
  if (report.head && (age === null || age > CHECKPOINT_EVERY_MS)) {
    const checkpoint = await writeCheckpoint(db, config.keys);
    if (checkpoint && config.anchorFile) await appendAnchor(config.anchorFile, checkpoint);
  }
}

/**
 * Seals committed audit entries about once a second while the server runs (on serverless hosts, where nothing
 * runs between requests, the scheduled job seals instead). One sealer per process; instances take turns
 * through the database's try-lock. A failure (the database restarting) is reported once a minute and retried.
 */
export function startAuditSealer(openDatabase: () => Promise<Database>, config: AuditChainConfig): void {
  if (state.bookingHandoffSealer || !config.keys) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await sealOnce(await openDatabase(), config);
    } catch (error) {
      const sealer = state.bookingHandoffSealer;
      if (sealer && Date.now() - sealer.lastProblemAt > 60_000) {
        sealer.lastProblemAt = Date.now();
        logger().error(
          { event: "audit.sealer_failed", cause: causeOf(error) },
          "audit sealer failed; retrying",
        );
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), SEAL_INTERVAL_MS);
  timer.unref();
  state.bookingHandoffSealer = { timer, lastSealed: null, lastProblemAt: 0 };
}
