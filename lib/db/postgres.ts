import postgres from "postgres";
import type { Database, Sql } from "./database";
import { databaseCircuit } from "./database-circuit";
import { transactionGuard } from "./guarded-transaction";

// Connecting and probing are quick or the database is not there: answer 503 within about a second.
const CONNECT_TIMEOUT_SECONDS = 2;
const PROBE_DEADLINE_MS = 1000;
const STALL_MS = 1000;

/**
 * Asks the server on a connection of its own whether it answers. A probe that fails drops that connection, so
 * the next one starts clean instead of queueing behind a reconnect loop.
 */
function probeOf(url: string): { probe: () => Promise<void>; close: () => Promise<void> } {
  let client: postgres.Sql | null = null;
  const close = async () => {
    const current = client;
    client = null;
    await current?.end({ timeout: 0 }).catch(() => {});
  };
  const probe = async () => {
    client ??= postgres(url, { max: 1, prepare: false, connect_timeout: 1, idle_timeout: 10, onnotice: () => {} });
    const current = client;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        current`select 1`,
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_DEADLINE_MS} ms`)), PROBE_DEADLINE_MS))),
      ]);
    } catch (error) {
      await close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  return { probe, close };
}

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
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    // Reconnect soon after a failure (postgres.js backs off up to 20 s): the circuit keeps callers away meanwhile.
    backoff: () => 0.1 + Math.random() * 0.2,
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
  const prober = probeOf(url);
  const circuit = databaseCircuit({ stallMs: STALL_MS, probe: prober.probe });
  const direct = wrap(client);

  return {
    kind: "postgres",
    sql: ((strings: TemplateStringsArray, ...values: unknown[]) => circuit.run(() => direct(strings, ...values))) as Sql,
    transaction: (work) => {
      const guard = transactionGuard(options.transactionDeadlineMs ?? 60_000);
      return circuit.run(() => guard.watch(
        client.begin((tx) => {
          const handle = wrap(tx);
          const guarded = ((strings: TemplateStringsArray, ...values: unknown[]) =>
            guard.run(() => handle(strings, ...values))) as Sql;
          return work(guarded, async (script) => {
            await guard.run(() => tx.unsafe(script));
          });
        }) as Promise<never>,
      ));
    },
    close: async () => {
      await prober.close();
      await client.end({ timeout: 5 });
    },
  };
}
