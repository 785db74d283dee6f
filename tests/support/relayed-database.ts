import type { Database } from "@/lib/db/database";
import { createPostgresDatabase } from "@/lib/db/postgres";
import { createDatabaseFromTemplate, databaseUrl } from "./postgres-template";
import { pooledForTests } from "./pgbouncer";
import { type TcpProxy, startTcpProxy } from "./tcp-proxy";

export interface RelayedDatabase {
  /** A direct connection, for the test to read what the app wrote. */
  db: Database;
  /** The relay the app's connection goes through: cut it, restart it. */
  proxy: TcpProxy;
  /** The app's login, through the relay (and PgBouncer, with TEST_POOLER). */
  relayedUrl: string;
  name: string;
  close: () => Promise<void>;
}

/** A fresh database from the template with a TCP relay in front, so a test can take it away from the app. */
export async function openRelayedDatabase(maxConnections = 3): Promise<RelayedDatabase> {
  const created = await createDatabaseFromTemplate();
  const db = createPostgresDatabase(created.url, { maxConnections });
  const target = new URL(created.url);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const relayed = new URL(databaseUrl(created.name));
  relayed.hostname = "127.0.0.1";
  relayed.port = String(proxy.port);
  // With TEST_POOLER, PgBouncer sits between the app and the relay: cutting the relay takes the database away
  // from behind the pooler, as an outage of Supabase's database does.
  const pooled = await pooledForTests(relayed.toString());
  return {
    db,
    proxy,
    relayedUrl: pooled.url,
    name: created.name,
    close: async () => {
      await pooled.stop();
      await proxy.close();
      await db.close();
      await created.drop();
    },
  };
}
