"use client";

import { useState, useTransition } from "react";
import { bulkFailureAction } from "@/app/admin/failure-actions";
import type { BulkItemResult } from "@/lib/failure-queue/decide-in-bulk";
import { useToast } from "./toaster";

type Step = { kind: "idle" } | { kind: "confirm"; action: "retry" | "discard" } | { kind: "results"; results: BulkItemResult[] };

/** Bulk retry or discard of the selected rows: the count first, then a result per item. */
export function BulkActions({ selectedIds, onDone }: { selectedIds: string[]; onDone: () => void }) {
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [reason, setReason] = useState("");
  const [pending, startTransition] = useTransition();
  const toast = useToast();

  if (step.kind === "results") {
    const done = step.results.filter((item) => item.result.kind === "done").length;
    return (
      <section className="bulk-bar" aria-label="Bulk results">
        <p>
          {done} of {step.results.length} done.
        </p>
        <ul>
          {step.results.map((item) => (
            <li key={item.failureId}>
              <a href={`/admin/failures/${item.failureId}`}>{item.failureId.slice(0, 8)}</a>: {item.result.message}
            </li>
          ))}
        </ul>
        <button type="button" className="secondary small-button" onClick={() => setStep({ kind: "idle" })}>
          Close
        </button>
      </section>
    );
  }
  if (selectedIds.length === 0) return null;

  const run = (action: "retry" | "discard") =>
    startTransition(async () => {
      const response = await bulkFailureAction(
        action === "retry" ? { kind: "retry", failureIds: selectedIds } : { kind: "discard", failureIds: selectedIds, reason },
      );
      if (!response.ok) {
        toast(response.error, "error");
        return;
      }
      setReason("");
      onDone();
      setStep({ kind: "results", results: response.results });
    });

  const count = `${selectedIds.length} selected item${selectedIds.length === 1 ? "" : "s"}`;
  return (
    <section className="bulk-bar" aria-label="Bulk actions">
      {step.kind === "idle" ? (
        <>
          <span>{count}</span>
          <button type="button" className="small-button" onClick={() => setStep({ kind: "confirm", action: "retry" })}>
            Retry matching
          </button>
          <button type="button" className="danger small-button" onClick={() => setStep({ kind: "confirm", action: "discard" })}>
            Discard
          </button>
        </>
      ) : (
        <>
          <span>
            {step.action === "retry" ? "Retry matching for" : "Discard"} {count}?
          </span>
          {step.action === "discard" ? (
            <label>
              Reason{" "}
              <input value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={1000} />
            </label>
          ) : null}
          <button
            type="button"
            className={step.action === "discard" ? "danger small-button" : "small-button"}
            disabled={pending || (step.action === "discard" && reason.trim() === "")}
            onClick={() => run(step.action)}
          >
            {pending ? "Working…" : `Confirm: ${step.action} ${selectedIds.length}`}
          </button>
          <button type="button" className="secondary small-button" onClick={() => setStep({ kind: "idle" })}>
            Cancel
          </button>
        </>
      )}
    </section>
  );
}
