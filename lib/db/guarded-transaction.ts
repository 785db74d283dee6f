/**
 * postgres.js 3.4.9 has open bugs when a transaction's connection drops (porsager/postgres#1186, #1216):
 * `begin()` rejects while the callback keeps running, its later queries can run on a replacement
 * connection outside the transaction, and queued ones can stay pending forever. This guard ends the
 * transaction's handle when `begin()` settles: every query still pending rejects, and later ones never
 * reach the database. A deadline bounds a transaction whose answer never comes.
 */
export class TransactionAbandonedError extends Error {
  // A connection-class code, so callers treat it as "database unavailable, try again".
  readonly code = "CONNECTION_CLOSED";
  constructor(reason: string) {
    super(`transaction abandoned: ${reason}`);
  }
}

export interface TransactionGuard {
  /** Runs one query of the transaction, unless the transaction is already over. */
  run<T>(query: () => Promise<T>): Promise<T>;
  /** Settles the guard with the transaction, whatever its outcome. */
  watch<T>(transaction: Promise<T>): Promise<T>;
}

export function transactionGuard(deadlineMs: number): TransactionGuard {
  let over: TransactionAbandonedError | null = null;
  let abandon!: (error: TransactionAbandonedError) => void;
  const abandoned = new Promise<never>((_, reject) => {
    abandon = reject;
  });
  abandoned.catch(() => {});
  const end = (reason: string) => {
    over ??= new TransactionAbandonedError(reason);
    abandon(over);
  };
  return {
    run: (query) => (over ? Promise.reject(over) : Promise.race([query(), abandoned])),
    watch: (transaction) => {
      const timer = setTimeout(() => end(`no answer within ${deadlineMs} ms`), deadlineMs);
      return Promise.race([transaction, abandoned]).finally(() => {
        clearTimeout(timer);
        end("the transaction has ended");
      });
    },
  };
}
