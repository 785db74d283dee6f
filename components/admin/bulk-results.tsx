import type { BulkItemResult } from "@/lib/failure-queue/decide-in-bulk";
import { plural } from "./format";

/**
 * What a bulk run came to, counted the way staff think of it: matched, still without a lead, discarded,
 * untouched.
 */
export function summarizeBulk(action: "retry" | "discard", results: BulkItemResult[]): string {
  const untouched = results.filter((item) => item.result.kind !== "done").length;
  const parts =
    action === "retry"
      ? [
          `${results.filter((item) => item.result.kind === "done" && item.result.outcome === "matched").length} matched`,
          `${results.filter((item) => item.result.kind === "done" && item.result.outcome !== "matched").length} still without a lead`,
        ]
      : [`${results.length - untouched} discarded`];
  if (untouched > 0) parts.push(`${plural(untouched, "item")} not changed`);
  return `${parts.join(", ")} (of ${results.length}).`;
}

/** The per-item answers of a bulk run, each named as the queue names it and linked to its page. */
export function BulkResults({
  action,
  results,
  onClose,
}: {
  action: "retry" | "discard";
  results: BulkItemResult[];
  onClose: () => void;
}) {
  return (
    <section className="bulk-bar" aria-label="Bulk results">
      <p role="status">{summarizeBulk(action, results)}</p>
      <ul className="bulk-results">
        {results.map((item) => (
          <li key={item.failureId}>
            <a href={`/admin/failures/${item.failureId}`}>{item.label}</a>: {item.result.message}
          </li>
        ))}
      </ul>
      <button type="button" className="secondary small-button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}
