import postgres from "postgres";
import type { Database, Sql } from "./database";
import { transactionGuard } from "./guarded-transaction";

export interface PostgresOptions {
  maxConnections?: number;
  /** Supabase's transaction pooler (port 6543) cannot keep prepared statements. */
  preparedStatements?: boolean;
  /** A transaction with no answer after this long is abandoned (the caller sees the database as unavailable). */
  transactionDeadlineMs?: number;
}

export function createPostgresDatabase(url: string, options: PostgresOptions = {}): Database {
  const client = postgres(url, {
    max: options.maxConnections ?? 10,
    prepare: options.preparedStatements ?? true,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
    // int8 as a number, as PGlite returns it: ids and counts stay far below 2^53.
    types: {
      bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
    },
  });
  const wrap = (handle: postgres.Sql | postgres.TransactionSql): Sql =>
    ((strings: TemplateStringsArray, ...values: unknown[]) =>
      handle(strings, ...(values as postgres.ParameterOrFragment<never>[]))) as unknown as Sql;

  return {
    kind: "postgres",
    sql: wrap(client),
    transaction: (work) => {
      const guard = transactionGuard(options.transactionDeadlineMs ?? 60_000);
      return guard.watch(
        client.begin((tx) => {
          const handle = wrap(tx);
          const guarded = ((strings: TemplateStringsArray, ...values: unknown[]) =>
            guard.run(() => handle(strings, ...values))) as Sql;
          return work(guarded, async (script) => {
            await guard.run(() => tx.unsafe(script));
          });
        }) as Promise<never>,
      );
    },
    close: () => client.end({ timeout: 5 }),
  };
}
