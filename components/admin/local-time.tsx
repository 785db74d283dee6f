"use client";

import { useSyncExternalStore } from "react";
import { formatTime } from "./format";

// One clock for every time on the page, ticking each minute so "4 min ago" stays true.
let now = Date.now();
const listeners = new Set<() => void>();
let ticker: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  ticker ??= setInterval(() => {
    now = Date.now();
    for (const notify of listeners) notify();
  }, 60_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "4 minutes ago", "in 3 days", "just now"; nothing past a week, where the date itself says more. */
export function relativeTime(date: Date, from: number): string | null {
  const elapsed = date.getTime() - from;
  if (Math.abs(elapsed) < 60_000) return "just now";
  if (Math.abs(elapsed) >= 7 * 86_400_000) return null;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const [unit, size] = RELATIVE_UNITS.find(([, ms]) => Math.abs(elapsed) >= ms) ?? RELATIVE_UNITS[2];
  return format.format(Math.round(elapsed / size), unit);
}

const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * A time in the viewer's own time zone, with how long ago it was; the exact UTC time on hover and in
 * `dateTime`. The server (and the first paint) shows UTC, which every viewer reads the same; the browser then
 * localizes it.
 */
export function LocalTime({ value }: { value: string | Date | null | undefined }) {
  const clock = useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  const utc = formatTime(date);
  if (clock === null) return <time dateTime={date.toISOString()}>{utc}</time>;
  const ago = relativeTime(date, clock);
  return (
    <time dateTime={date.toISOString()} title={utc}>
      {ago ? `${ago} · ${LOCAL.format(date)}` : LOCAL.format(date)}
    </time>
  );
}
