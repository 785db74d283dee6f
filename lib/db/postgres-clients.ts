import type postgres from "postgres";

/**
 * How calls share the server's connections. `run` lends a postgres.js client for one call (a statement, or a
 * transaction through `begin`); `replace` swaps every connection for new ones (a wedged pool).
 */
export interface PostgresClients {
  run<T>(call: (client: postgres.Sql) => Promise<T>): Promise<T>;
  replace(): void;
  end(): Promise<void>;
}

type Connect = (max: number) => postgres.Sql;

/** Direct or through a session pooler: one pool, whose connections postgres.js pipelines calls onto. */
export function sharedClients(connect: Connect, size: number): PostgresClients {
  let client = connect(size);
  return {
    run: (call) => call(client),
    replace: () => {
      const old = client;
      client = connect(size);
      void old.end({ timeout: 5 }).catch(() => {});
    },
    end: () => client.end({ timeout: 5 }),
  };
}

/**
 * Through a transaction pooler: `size` clients of one connection each, every call on a client of its own
 * until it settles. A call never waits behind another on the same connection, so nothing is sent before the
 * answer it follows, and the pooler never gets a query for a connection it has handed back (postgres.js
 * pipelines onto a busy connection, and its `max_pipeline: 0` would also stop `begin` from reserving one).
 */
export function exclusiveClients(connect: Connect, size: number): PostgresClients {
  const slots = Array.from({ length: size }, () => ({ client: connect(1), busy: false }));
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    for (;;) {
      const slot = slots.find((candidate) => !candidate.busy);
      if (slot) {
        slot.busy = true;
        return slot;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  return {
    run: async (call) => {
      const slot = await acquire();
      try {
        return await call(slot.client);
      } finally {
        slot.busy = false;
        waiting.shift()?.();
      }
    },
    replace: () => {
      for (const slot of slots) {
        const old = slot.client;
        slot.client = connect(1);
        void old.end({ timeout: 5 }).catch(() => {});
      }
    },
    end: async () => {
      await Promise.all(slots.map((slot) => slot.client.end({ timeout: 5 })));
    },
  };
}
