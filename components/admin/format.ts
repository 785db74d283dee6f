/**
 * Display helpers shared by the console's tables. Times here are UTC text (exports, diffs); pages show
 * LocalTime.
 */
export function formatTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "1 item", "3 items". */
export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

export function humanize(value: string | null | undefined): string {
  return value ? value.replaceAll("_", " ").toLowerCase() : "—";
}

const RESOLVED_AS: Record<string, string> = {
  applied: "applied by staff",
  applied_unverified_override: "applied by staff over a failed signature",
  retry_matched: "matched on a retry",
  auto_matched: "matched once its booking was tied",
  discarded: "discarded by staff",
};

/**
 * What became of a stored event. Its outcome is how it ended on arrival (the health page counts that); a
 * queued one's item then says what staff, or a later tie, decided.
 */
export function eventFate(outcome: string | null, resolution: string | null | undefined): string {
  if (outcome === "queued" && resolution)
    return `queued, then ${RESOLVED_AS[resolution] ?? humanize(resolution)}`;
  return humanize(outcome);
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string" && ISO_TIMESTAMP.test(value)) return formatTime(value);
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

interface BookingSummary {
  status?: string;
  state?: string;
  start_time?: string | null;
  current_uid?: string;
}

const isBooking = (value: unknown): value is BookingSummary =>
  typeof value === "object" && value !== null && "root_uid" in value;

/** A booking, as one line: its state, when, and its current uid. */
export function formatBooking(booking: BookingSummary): string {
  const state =
    booking.state === "live" || booking.state === "closed"
      ? humanize(booking.status)
      : humanize(booking.state);
  return `${state} · ${formatTime(booking.start_time ?? null)} · ${booking.current_uid ?? "—"}`;
}

/** A planner change as a diff row: lead fields as they are, a booking's change as one line a side. */
export function changeRow(change: { field: string; from: unknown; to: unknown }) {
  const side = (value: unknown) => (isBooking(value) ? formatBooking(value) : value);
  return { field: change.field, before: side(change.from), after: side(change.to) };
}
