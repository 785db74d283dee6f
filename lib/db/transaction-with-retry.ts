import type { Database, Sql } from "./database";
import { isTransientConflict } from "./errors";

/** A transaction that runs again, from the start, when Postgres rolled it back for a deadlock or serialization failure. */
export async function transactionWithRetry<T>(db: Database, work: (tx: Sql) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx));
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
    }
  }
}
