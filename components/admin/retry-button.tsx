"use client";

import { retryFailureAction } from "@/app/admin/failure-actions";
import { ProblemMessage } from "./problem-message";
import { useDecision } from "./use-decision";

/** Runs the webhook's matching again, for an event that arrived before its lead. */
export function RetryButton({ failureId }: { failureId: string }) {
  const { decide, pending, problem } = useDecision();
  return (
    <div className="stack">
      <button
        type="button"
        className="secondary"
        data-key-action="retry"
        disabled={pending}
        onClick={() => decide(() => retryFailureAction({ failureId }))}
      >
        {pending ? "Matching…" : "Retry matching"}
      </button>
      <ProblemMessage problem={problem} />
    </div>
  );
}
