"use client";

import { useState } from "react";
import { bulkFailureAction, matchingFailuresAction } from "@/app/admin/failure-actions";
import type { BulkItemResult } from "@/lib/failure-queue/decide-in-bulk";
import { BulkResults } from "./bulk-results";
import { plural } from "./format";
import { useToast } from "./toaster";

type BulkKind = "retry" | "discard";
type Step =
  | { kind: "idle" }
  | { kind: "confirm"; action: BulkKind }
  | { kind: "running"; action: BulkKind; done: number; total: number }
  | { kind: "results"; action: BulkKind; results: BulkItemResult[] };

/** Small calls, so the progress bar moves and one slow item does not hold the whole selection. */
const BATCH_SIZE = 20;

interface BulkActionsProps {
  /** The rows selected on this page. */
  selectedIds: string[];
  /** Whether every row on this page is selected: then the whole filter can be. */
  allOnPage: boolean;
  /** How many items the filters match. */
  total: number;
  /** The queue's query string, which the server reads the filters from again. */
  search: string;
  onDone: () => void;
}

/**
 * Bulk retry or discard of the selected rows, or of every row the filters match: the count first, then
 * progress, then a result per item.
 */
export function BulkActions({ selectedIds, allOnPage, total, search, onDone }: BulkActionsProps) {
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [matching, setMatching] = useState<string[] | null>(null);
  const [reason, setReason] = useState("");
  const [loading, setLoading] = useState(false);
  const toast = useToast();
  const ids = matching ?? selectedIds;

  if (step.kind === "results") {
    return (
      <BulkResults action={step.action} results={step.results} onClose={() => setStep({ kind: "idle" })} />
    );
  }
  if (step.kind === "running") {
    return (
      <section className="bulk-bar" aria-label="Bulk progress">
        <label htmlFor="bulk-progress">
          {step.action === "retry" ? "Retrying" : "Discarding"}: {step.done} of {step.total}
        </label>
        <progress id="bulk-progress" max={step.total} value={step.done} />
      </section>
    );
  }
  if (ids.length === 0) return null;

  const selectAllMatching = async () => {
    setLoading(true);
    const response = await matchingFailuresAction({ search });
    setLoading(false);
    if (!response.ok) return toast(response.error, "error");
    if (response.ids.length === response.limit && total > response.limit)
      toast(`Only the newest ${response.limit} of ${total} items were selected.`, "error");
    setMatching(response.ids);
  };

  const run = async (action: BulkKind) => {
    const results: BulkItemResult[] = [];
    setStep({ kind: "running", action, done: 0, total: ids.length });
    for (let start = 0; start < ids.length; start += BATCH_SIZE) {
      const failureIds = ids.slice(start, start + BATCH_SIZE);
      const response = await bulkFailureAction(
        action === "retry" ? { kind: "retry", failureIds } : { kind: "discard", failureIds, reason },
      );
      if (!response.ok) {
        toast(`${response.error} Stopped after ${results.length} of ${ids.length}.`, "error");
        break;
      }
      results.push(...response.results);
      setStep({ kind: "running", action, done: results.length, total: ids.length });
    }
    setReason("");
    setMatching(null);
    onDone();
    setStep({ kind: "results", action, results });
  };

  const count = matching ? `All ${plural(ids.length, "matching item")}` : plural(ids.length, "selected item");
  return (
    <section className="bulk-bar" aria-label="Bulk actions">
      {step.kind === "idle" ? (
        <>
          <span>{count}</span>
          {allOnPage && !matching && total > selectedIds.length ? (
            <button
              type="button"
              className="secondary small-button"
              disabled={loading}
              onClick={selectAllMatching}
            >
              {loading ? "Selecting…" : `Select all ${total} matching`}
            </button>
          ) : null}
          {matching ? (
            <button type="button" className="secondary small-button" onClick={() => setMatching(null)}>
              Only this page
            </button>
          ) : null}
          <button
            type="button"
            className="small-button"
            onClick={() => setStep({ kind: "confirm", action: "retry" })}
          >
            Retry matching
          </button>
          <button
            type="button"
            className="danger small-button"
            onClick={() => setStep({ kind: "confirm", action: "discard" })}
          >
            Discard
          </button>
        </>
      ) : (
        <>
          <span>
            {step.action === "retry" ? "Retry matching for" : "Discard"}{" "}
            {count.charAt(0).toLowerCase() + count.slice(1)}?
          </span>
          {step.action === "discard" ? (
            <label>
              Reason{" "}
              <input
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                required
                maxLength={1000}
              />
            </label>
          ) : null}
          <button
            type="button"
            className={step.action === "discard" ? "danger small-button" : "small-button"}
            disabled={step.action === "discard" && reason.trim() === ""}
            onClick={() => run(step.action)}
          >
            Confirm: {step.action} {ids.length}
          </button>
          <button type="button" className="secondary small-button" onClick={() => setStep({ kind: "idle" })}>
            Cancel
          </button>
        </>
      )}
    </section>
  );
}
