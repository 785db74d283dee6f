import "server-only";
import type { Database } from "../db/database";
import { causeOf, logger } from "../log/logger";

/** The channel the database NOTIFYs when a statement queues items (migration 20261205000000). */
export const FAILURE_QUEUE_CHANNEL = "failure_queue";

/** A burst of arrivals reaches each open console as one message, at most this often. */
const COALESCE_MS = 300;

interface Hub {
  subscribers: Set<() => void>;
  listening: Promise<unknown> | null;
  timer: ReturnType<typeof setTimeout> | null;
}

// One LISTEN per process, whichever bundle of the app asks first: every open console shares it.
const holder = globalThis as typeof globalThis & { bookingHandoffQueueHub?: Hub };
const hub = (holder.bookingHandoffQueueHub ??= { subscribers: new Set(), listening: null, timer: null });

function announce() {
  hub.timer ??= setTimeout(() => {
    hub.timer = null;
    for (const subscriber of hub.subscribers) subscriber();
  }, COALESCE_MS);
}

/**
 * Calls `onArrival` when new items reach the failure queue, until the returned function is called. A LISTEN
 * that could not start is tried again by the next subscriber; meanwhile the caller hears nothing (the page
 * still works).
 */
export async function subscribeToQueueArrivals(db: Database, onArrival: () => void): Promise<() => void> {
  hub.subscribers.add(onArrival);
  hub.listening ??= db.listen(FAILURE_QUEUE_CHANNEL, announce).catch((error: unknown) => {
    hub.listening = null;
    logger().warn({ cause: causeOf(error) }, "could not LISTEN for new queue items");
  });
  await hub.listening;
  return () => {
    hub.subscribers.delete(onArrival);
  };
}
