import "server-only";
import type { Database } from "../db/database";
import { causeOf, logger } from "../log/logger";

/** The channel the database NOTIFYs when a statement queues items (migration 20261205000000). */
export const FAILURE_QUEUE_CHANNEL = "failure_queue";
/** A channel of its own on which the hub checks that notifications arrive at all. */
const PROBE_CHANNEL = "failure_queue_probe";
const PROBE_WAIT_MS = 2000;
/** Where notifications do not arrive (a transaction pooler), the queue is read this often instead. */
export const QUEUE_POLL_MS = 5000;

/** A burst of arrivals reaches each open console as one message, at most this often. */
const COALESCE_MS = 300;

/** How new items are noticed: told by the database as they come, or looked for every few seconds. */
export type ArrivalMode = { kind: "live" } | { kind: "polling"; everyMs: number; checkedAt: Date | null };

export interface ArrivalSubscriber {
  onArrival: () => void;
  /** Each look at the queue while polling, so the page can say how fresh it is. */
  onChecked?: (at: Date) => void;
}

interface Hub {
  subscribers: Set<ArrivalSubscriber>;
  started: Promise<void> | null;
  mode: ArrivalMode | null;
  timer: ReturnType<typeof setTimeout> | null;
}

// One hub per process, whichever bundle of the app asks first: every open console shares it.
const holder = globalThis as typeof globalThis & { bookingHandoffQueueHub?: Hub };
const hub = (holder.bookingHandoffQueueHub ??= {
  subscribers: new Set(),
  started: null,
  mode: null,
  timer: null,
});

function announce() {
  hub.timer ??= setTimeout(() => {
    hub.timer = null;
    for (const subscriber of hub.subscribers) subscriber.onArrival();
  }, COALESCE_MS);
}

/** LISTEN can be accepted and never deliver (a transaction pooler): ask on a channel of its own. */
async function notificationsArrive(db: Database): Promise<boolean> {
  let heard!: () => void;
  const arrived = new Promise<boolean>((resolve) => (heard = () => resolve(true)));
  const stop = await db.listen(PROBE_CHANNEL, () => heard());
  try {
    await db.sql`select pg_notify(${PROBE_CHANNEL}, '')`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_WAIT_MS)));
    const outcome = await Promise.race([arrived, late]);
    clearTimeout(timer);
    return outcome;
  } finally {
    await stop();
  }
}

const queuedCount = async (db: Database) =>
  (await db.sql<{ n: number }>`select count(*)::int as n from public.webhook_failures`)[0].n;

function poll(db: Database) {
  const mode: ArrivalMode = { kind: "polling", everyMs: QUEUE_POLL_MS, checkedAt: null };
  hub.mode = mode;
  let seen: number | null = null;
  const look = async () => {
    if (hub.subscribers.size === 0) return;
    try {
      const count = await queuedCount(db);
      if (seen !== null && count > seen) announce();
      seen = count;
      mode.checkedAt = new Date();
      for (const subscriber of hub.subscribers) subscriber.onChecked?.(mode.checkedAt);
    } catch (error) {
      logger().warn({ cause: causeOf(error) }, "could not look for new queue items");
    }
  };
  setInterval(() => void look(), QUEUE_POLL_MS).unref();
  void look();
}

async function start(db: Database): Promise<void> {
  try {
    await db.listen(FAILURE_QUEUE_CHANNEL, announce);
    if (await notificationsArrive(db)) {
      hub.mode = { kind: "live" };
      return;
    }
    logger().warn(
      { event: "queue.polling" },
      "notifications do not arrive: the queue is polled for new items",
    );
  } catch (error) {
    logger().warn(
      { event: "queue.polling", cause: causeOf(error) },
      "could not LISTEN: the queue is polled for new items",
    );
  }
  poll(db);
}

/**
 * Tells `subscriber` when new items reach the failure queue, until the returned function is called, and says
 * how: live (LISTEN, once a probe showed that notifications arrive) or by looking every few seconds.
 */
export async function subscribeToQueueArrivals(
  db: Database,
  subscriber: ArrivalSubscriber,
): Promise<{ mode: ArrivalMode; unsubscribe: () => void }> {
  hub.subscribers.add(subscriber);
  hub.started ??= start(db);
  await hub.started;
  return {
    mode: hub.mode ?? { kind: "polling", everyMs: QUEUE_POLL_MS, checkedAt: null },
    unsubscribe: () => {
      hub.subscribers.delete(subscriber);
    },
  };
}
