/**
 * The one database handle the app codes against. Both backends (postgres.js for a server or Supabase,
 * PGlite for the embedded default) answer tagged templates with plain row arrays, so query modules
 * take `Sql` first and work unchanged inside or outside a transaction.
 */
export type Row = Record<string, unknown>;

export interface Sql {
  <T extends object = Row>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
  /**
   * A statement composed at run time (lib/db/fragment.ts): its text with `$1`… placeholders and their values.
   */
  query<T extends object = Row>(text: string, values: readonly unknown[]): Promise<T[]>;
}

type Tagged = <T extends object = Row>(strings: TemplateStringsArray, ...values: unknown[]) => Promise<T[]>;
type Composed = <T extends object = Row>(text: string, values: readonly unknown[]) => Promise<T[]>;

/** A handle from a driver's two ways of running a statement. */
export function sqlHandle(tagged: Tagged, query: Composed): Sql {
  return Object.assign(tagged, { query });
}

export interface Database {
  readonly kind: "postgres" | "pglite";
  readonly sql: Sql;
  /**
   * Runs `work` in one transaction: everything it writes commits together or not at all. `exec` runs a
   * multi-statement script without parameters inside the same transaction (migrations only).
   */
  transaction<T>(work: (tx: Sql, exec: (script: string) => Promise<void>) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel` (after the sending transaction commits) until the returned
   * function is called. It needs a session connection: Supabase's transaction pooler accepts LISTEN but never
   * delivers.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
