import postgres from "postgres";
import type { ConnectionPooler } from "./connection-pooler";
import { type Database, type Sql, sqlHandle } from "./database";
import { databaseCircuit } from "./database-circuit";
import { transactionGuard } from "./guarded-transaction";
import { exclusiveClients, sharedClients } from "./postgres-clients";
import { DEFAULT_POOL_SIZE } from "./pool-size";

// Connecting and probing are quick or the database is not there: answer 503 within about a second.
const CONNECT_TIMEOUT_SECONDS = 2;
const PROBE_DEADLINE_MS = 1000;
const STALL_MS = 1000;

/**
 * Asks the server on a new connection of its own whether it answers: a connection that was open when
 * something went wrong is the last thing to trust, and probes are rare (a stalled call, or while the circuit
 * is open).
 */
function probeOf(url: string): () => Promise<void> {
  return async () => {
    const client = postgres(url, { max: 1, prepare: false, connect_timeout: 1, onnotice: () => {} });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        client`select 1`,
        new Promise(
          (_, reject) =>
            (timer = setTimeout(
              () => reject(new Error(`no answer within ${PROBE_DEADLINE_MS} ms`)),
              PROBE_DEADLINE_MS,
            )),
        ),
      ]);
    } finally {
      clearTimeout(timer);
      void client.end({ timeout: 0 }).catch(() => {});
    }
  };
}

export interface PostgresOptions {
  maxConnections?: number;
  /**
   * Through a transaction pooler nothing is prepared, each call has a connection to itself
   * (lib/db/postgres-clients.ts) and LISTEN is refused.
   */
  pooler?: ConnectionPooler;
  /** Default: on, except through a transaction pooler. */
  preparedStatements?: boolean;
  /**
   * A transaction or statement with no answer after this long is abandoned (the caller sees the database as
   * unavailable), and a statement that ran out of it on a reachable database replaces the pool. Unset:
   * statements may run as long as they need (scripts, seeding), transactions 60 s.
   */
  transactionDeadlineMs?: number;
}

/** LISTEN through a transaction pooler is accepted and never delivers. */
export class NotificationsUnavailableError extends Error {
  constructor() {
    super("notifications are not delivered through a transaction pooler");
  }
}

export function createPostgresDatabase(url: string, options: PostgresOptions = {}): Database {
  const transactionPooler = options.pooler === "transaction";
  const connect = (max: number) =>
    postgres(url, {
      max,
      prepare: options.preparedStatements ?? !transactionPooler,
      connect_timeout: CONNECT_TIMEOUT_SECONDS,
      // Reconnect soon after a failure (postgres.js backs off up to 20 s): the circuit keeps callers away
      // meanwhile.
      backoff: () => 0.1 + Math.random() * 0.2,
      idle_timeout: 30,
      onnotice: () => {},
      // int8 as a number, as PGlite returns it: ids and counts stay far below 2^53.
      types: {
        bigint: {
          to: 20,
          from: [20],
          serialize: (value: number) => String(value),
          parse: (value: string) => Number(value),
        },
      },
    });
  const size = options.maxConnections ?? DEFAULT_POOL_SIZE;
  const clients = transactionPooler ? exclusiveClients(connect, size) : sharedClients(connect, size);
  let replacedAt = 0;
  const deadlineMs = options.transactionDeadlineMs ?? Number.POSITIVE_INFINITY;
  // One replacement for every call that wedged on the same pool: they all started on it before it was
  // replaced.
  const replacePool = () => {
    if (Date.now() - replacedAt < deadlineMs) return;
    replacedAt = Date.now();
    clients.replace();
  };
  // A composed statement is prepared like a tagged one (unless the connection turns preparing off).
  const wrap = (handle: postgres.Sql | postgres.TransactionSql): Sql =>
    sqlHandle(
      (strings, ...values) => handle(strings, ...(values as postgres.ParameterOrFragment<never>[])) as never,
      (text, values) =>
        handle.unsafe(text, values as postgres.ParameterOrJSON<never>[], { prepare: true }) as never,
    );
  // Every call through `guard` (a transaction's deadline) or `circuit` (the database's availability).
  const through = (run: <T>(call: () => Promise<T>) => Promise<T>, handle: () => Sql): Sql =>
    sqlHandle(
      (strings, ...values) => run(() => handle()(strings, ...values)),
      (text, values) => run(() => handle().query(text, values)),
    );
  const pooled: Sql = sqlHandle(
    (strings, ...values) => clients.run((client) => wrap(client)(strings, ...values)),
    (text, values) => clients.run((client) => wrap(client).query(text, values)),
  );
  // LISTEN holds its connection for as long as anyone listens: one of its own, apart from the pool, which
  // postgres.js reconnects (and listens on again) after a drop.
  let listener: postgres.Sql | undefined;
  const listenerClient = () =>
    (listener ??= postgres(url, { max: 1, connect_timeout: CONNECT_TIMEOUT_SECONDS, onnotice: () => {} }));
  const circuit = databaseCircuit({
    stallMs: STALL_MS,
    probe: probeOf(url),
    deadlineMs,
    onWedged: replacePool,
  });

  return {
    kind: "postgres",
    sql: through(
      (call) => circuit.run(call),
      () => pooled,
    ),
    transaction: (work) => {
      const guard = transactionGuard(options.transactionDeadlineMs ?? 60_000);
      return circuit.run(() =>
        guard.watch(
          clients.run(
            (client) =>
              client.begin((tx) => {
                const handle = wrap(tx);
                return work(
                  through(
                    (call) => guard.run(call),
                    () => handle,
                  ),
                  async (script) => {
                    await guard.run(() => tx.unsafe(script));
                  },
                );
              }) as Promise<never>,
          ),
        ),
      );
    },
    listen: async (channel, onNotify) => {
      if (transactionPooler) throw new NotificationsUnavailableError();
      const request = await listenerClient().listen(channel, () => onNotify());
      return () => request.unlisten();
    },
    close: async () => {
      await Promise.all([clients.end(), listener?.end({ timeout: 5 })]);
    },
  };
}
