"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * New queue items as they arrive (Server-Sent Events from /admin/queue-events), and how fresh the page is:
 * live, or looked for every few seconds where the database cannot notify (a transaction pooler). On the first
 * page the rows are read again in place; deeper pages say that something arrived and link to the newest, so
 * the rows being worked on do not move under the reader.
 */
type Mode = { live: true } | { live: false; everySeconds: number };

function freshness(connected: boolean, mode: Mode | null, checkedAt: string | null): string {
  if (!connected || !mode) return "Connecting for new items…";
  if (mode.live) return "Live: new items appear here";
  const when = checkedAt ? `, last at ${new Date(checkedAt).toLocaleTimeString()}` : "";
  return `Checked for new items every ${mode.everySeconds} s${when}`;
}

export function QueueLiveUpdates({ firstPage, newestHref }: { firstPage: boolean; newestHref: string }) {
  const router = useRouter();
  const [connected, setConnected] = useState(false);
  const [mode, setMode] = useState<Mode | null>(null);
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const [arrivals, setArrivals] = useState(0);

  useEffect(() => {
    const source = new EventSource("/admin/queue-events");
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("mode", (event) => setMode(JSON.parse(event.data) as Mode));
    source.addEventListener("checked", (event) =>
      setCheckedAt((JSON.parse(event.data) as { at: string }).at),
    );
    source.addEventListener("queued", () => {
      setArrivals((count) => count + 1);
      if (firstPage) router.refresh();
    });
    return () => source.close();
  }, [firstPage, router]);

  return (
    <div className="live-updates">
      <span className={connected && mode?.live ? "live-dot on" : "live-dot"}>
        {freshness(connected, mode, checkedAt)}
      </span>
      <span role="status">
        {arrivals > 0 && firstPage ? "New items arrived: the list is up to date." : null}
        {arrivals > 0 && !firstPage ? (
          <>
            New items arrived. <Link href={newestHref}>Show the newest</Link>
          </>
        ) : null}
      </span>
    </div>
  );
}
