import { requireStaffRoute } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import { subscribeToQueueArrivals } from "@/lib/failure-queue/queue-arrivals";

/**
 * A stream ends after this long and the browser opens a new one, so a session that ended stops being served.
 */
const STREAM_LIFETIME_MS = 5 * 60_000;
const KEEP_ALIVE_MS = 20_000;

/**
 * GET /admin/queue-events: Server-Sent Events for the queue page: first `mode` (live, or polled every few
 * seconds where notifications do not arrive), then one `queued` event per burst of new items (no data: the page
 * reads the queue again with the viewer's own session), and while polling a `checked` event per look.
 */
export async function GET(request: Request) {
  const caller = await requireStaffRoute(request, "staff");
  if (caller instanceof Response) return caller;
  const db = await getDatabase();
  const encoder = new TextEncoder();
  let stop = () => {};

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const event = (name: string, data: object) => send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      const { mode, unsubscribe } = await subscribeToQueueArrivals(db, {
        onArrival: () => event("queued", {}),
        onChecked: (at) => event("checked", { at: at.toISOString() }),
      });
      event(
        "mode",
        mode.kind === "live" ? { live: true } : { live: false, everySeconds: mode.everyMs / 1000 },
      );
      const keepAlive = setInterval(() => send(": keep-alive\n\n"), KEEP_ALIVE_MS);
      const end = setTimeout(() => stop(), STREAM_LIFETIME_MS);
      stop = () => {
        if (!open) return;
        open = false;
        clearInterval(keepAlive);
        clearTimeout(end);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // Already cancelled by the reader.
        }
      };
      request.signal.addEventListener("abort", () => stop());
      if (request.signal.aborted) stop();
      // The browser reconnects after this many milliseconds when the stream ends.
      send("retry: 2000\n\n");
    },
    cancel: () => stop(),
  });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: a compressed stream would be held back until a buffer fills.
      "cache-control": "no-cache, no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
