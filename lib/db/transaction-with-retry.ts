import type { Database, Sql } from "./database";
import { isTransientConflict } from "./errors";

/**
 * Runs `work` again, from the start, when Postgres rolled it back for a deadlock or serialization failure.
 */
export async function retryTransientConflicts<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
    }
  }
}

/** A transaction that runs again when Postgres rolled it back for a deadlock or serialization failure. */
export function transactionWithRetry<T>(
  db: Database,
  work: (tx: Sql) => Promise<T>,
  attempts = 5,
): Promise<T> {
  return retryTransientConflicts(() => db.transaction((tx) => work(tx)), attempts);
}
