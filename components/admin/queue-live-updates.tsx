"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * New queue items as they arrive (Server-Sent Events from /admin/queue-events). On the first page the rows
 * are read again in place; deeper pages say that something arrived and link to the newest, so the rows being
 * worked on do not move under the reader.
 */
export function QueueLiveUpdates({ firstPage, newestHref }: { firstPage: boolean; newestHref: string }) {
  const router = useRouter();
  const [connected, setConnected] = useState(false);
  const [arrivals, setArrivals] = useState(0);

  useEffect(() => {
    const source = new EventSource("/admin/queue-events");
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("queued", () => {
      setArrivals((count) => count + 1);
      if (firstPage) router.refresh();
    });
    return () => source.close();
  }, [firstPage, router]);

  return (
    <div className="live-updates">
      <span className={connected ? "live-dot on" : "live-dot"}>
        {connected ? "Live: new items appear here" : "Connecting for live updates…"}
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
