/**
 * Classifies driver errors by what the caller should do about them. Both drivers put the SQLSTATE in
 * `code`; postgres.js uses its own codes (and Node's) for connection failures.
 */
const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  // No route to the database's network or host: Supabase's direct connection is IPv6 only, and many hosts
  // reach IPv4 only.
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "EADDRNOTAVAIL",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CIRCUIT_OPEN",
  "CONNECTION_WEDGED",
  // The schema is older than the code (lib/db/schema-version.ts), or a connection setting cannot work there
  // (lib/db/connection-pooler.ts): nothing can be written until it is put right.
  "SCHEMA_OUTDATED",
  "DATABASE_SETTINGS",
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** The database could not be reached or is shutting down: the caller may try again later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  if (!code) return false;
  if (CONNECTION_ERROR_CODES.has(code)) return true;
  // 08: connection exception; 53: insufficient resources; 57P01-03: admin shutdown, crash, cannot connect
  // now.
  return code.startsWith("08") || code.startsWith("53") || ["57P01", "57P02", "57P03"].includes(code);
}

/** A serialization failure or deadlock: the transaction was rolled back and can simply run again. */
export function isTransientConflict(error: unknown): boolean {
  const code = codeOf(error);
  return code === "40001" || code === "40P01";
}
