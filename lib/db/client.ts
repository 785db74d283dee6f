import "server-only";

/**
 * The app's database, for server code; instrumentation.ts reaches the same one without the server-only
 * marker.
 */
export { getDatabase } from "./process-database";
