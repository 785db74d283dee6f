import postgres from "postgres";

/**
 * What stands between the app and PostgreSQL. A transaction pooler (Supabase's Supavisor on port 6543,
 * PgBouncer in `pool_mode=transaction`) gives each transaction, and each statement outside one, whichever
 * server connection is free: a statement prepared on one is unknown to the next, a query sent behind another
 * before that one's answer (postgres.js pipelines by default) reaches a connection the pooler has already
 * handed back, and LISTEN never delivers. A session pooler or a direct connection keeps one server session.
 */
export type ConnectionPooler = "transaction" | "session";

/** Supabase's transaction pooler listens on 6543 (its session pooler and direct connections on 5432). */
export const TRANSACTION_POOLER_PORT = "6543";

export function poolerFromUrl(url: string): ConnectionPooler | null {
  try {
    return new URL(url).port === TRANSACTION_POOLER_PORT ? "transaction" : null;
  } catch {
    return null;
  }
}

const PROBE_CHANNEL = "booking_handoff_pooler_probe";
const PROBE_WAIT_MS = 1500;

/**
 * Asks the connection itself: a NOTIFY sent on one connection reaches a LISTEN on another through a session
 * (or none), never through a transaction pooler. Two short-lived connections with nothing prepared and nothing
 * pipelined (one query each), so the probe works whichever it is.
 */
export async function probeConnectionPooler(url: string): Promise<ConnectionPooler> {
  const options = { max: 1, prepare: false, connect_timeout: 5, onnotice: () => {} };
  const listener = postgres(url, options);
  const sender = postgres(url, options);
  const token = `${process.pid}-${Date.now()}-${Math.random()}`;
  try {
    let heard!: () => void;
    const arrived = new Promise<void>((resolve) => (heard = resolve));
    await listener.listen(PROBE_CHANNEL, (payload) => payload === token && heard());
    await sender`select pg_notify(${PROBE_CHANNEL}, ${token})`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), PROBE_WAIT_MS)));
    const outcome = await Promise.race([arrived.then(() => "heard" as const), late]);
    clearTimeout(timer);
    return outcome === "heard" ? "session" : "transaction";
  } finally {
    await Promise.all([listener.end({ timeout: 1 }), sender.end({ timeout: 1 })]).catch(() => {});
  }
}

export interface ConnectionSettings {
  pooler: ConnectionPooler;
  preparedStatements: boolean;
}

/** A setting that cannot work where the connection goes: logged at start, and 503 rather than 500 after. */
export class DatabaseSettingsError extends Error {
  readonly code = "DATABASE_SETTINGS";
}

/**
 * How to talk to `url`: the pooler as configured (`auto`: port 6543, else the probe), and prepared statements
 * unless they were not asked for or cannot work.
 */
export async function resolveConnectionSettings(
  url: string,
  configured: { pooler: "auto" | ConnectionPooler; preparedStatements: boolean | undefined },
): Promise<ConnectionSettings> {
  const pooler =
    configured.pooler === "auto"
      ? (poolerFromUrl(url) ?? (await probeConnectionPooler(url)))
      : configured.pooler;
  if (pooler === "transaction" && configured.preparedStatements === true) {
    throw new DatabaseSettingsError(
      "DATABASE_PREPARED_STATEMENTS=true cannot work through a transaction pooler (Supabase's port 6543, " +
        "PgBouncer in transaction mode): a statement prepared on one server connection is unknown to the next. " +
        "Leave DATABASE_PREPARED_STATEMENTS unset, or use the session pooler (port 5432).",
    );
  }
  return { pooler, preparedStatements: configured.preparedStatements ?? pooler !== "transaction" };
}
