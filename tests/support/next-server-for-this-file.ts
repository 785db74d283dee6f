import { afterAll, beforeAll } from "vitest";
import type { Database } from "@/lib/db/database";
import { createPostgresDatabase } from "@/lib/db/postgres";
import { type RunningServer, startNextServer } from "./next-server";
import { pooledForTests } from "./pgbouncer";
import { createDatabaseFromTemplate } from "./postgres-template";
import { TEST_CHAIN_KEY } from "./audit-chain-harness";
import { TEST_SUBMISSION_SECRET, TEST_WEBHOOK_SECRET } from "./webhook-harness";

/**
 * `next start` on a fresh database for one test file (through PgBouncer when TEST_POOLER says so), with the
 * test secrets and a Cal link, plus a connection for the test to read what the app wrote. `env` is read when the server starts, so it can
 * name things other hooks set up first. Valid inside tests.
 */
export function nextServerForThisFile(env: () => Record<string, string> = () => ({})): {
  server: RunningServer;
  db: Database;
  /** As the schema's owner, for what only the owner can do (the migrations' bookkeeping). */
  owner: Database;
} {
  const handle = {} as { server: RunningServer; db: Database; owner: Database };
  let drop: (() => Promise<void>) | undefined;
  let stopPooler: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createDatabaseFromTemplate();
    drop = created.drop;
    const pooled = await pooledForTests(created.url);
    stopPooler = pooled.stop;
    handle.db = createPostgresDatabase(created.url, { maxConnections: 2 });
    handle.owner = createPostgresDatabase(created.ownerUrl, { maxConnections: 1 });
    handle.server = await startNextServer({
      DATABASE_URL: pooled.url,
      CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
      NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
      AUDIT_CHAIN_KEY: TEST_CHAIN_KEY,
      ...env(),
    });
  });
  afterAll(async () => {
    await handle.server?.stop();
    await stopPooler?.();
    await handle.db?.close();
    await handle.owner?.close();
    await drop?.();
  });
  return handle;
}
