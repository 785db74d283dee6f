"use client";

import { useState } from "react";
import { reopenFailureAction } from "@/app/admin/failure-actions";
import { ProblemMessage } from "./problem-message";
import { useDecision } from "./use-decision";

/** Puts a discarded item back in the queue. */
export function ReopenForm({ failureId, version }: { failureId: string; version: number }) {
  const { decide, pending, problem } = useDecision();
  const [reason, setReason] = useState("");
  return (
    <form
      className="row"
      onSubmit={(event) => {
        event.preventDefault();
        decide(() => reopenFailureAction({ failureId, version, reason }));
      }}
    >
      <div className="field">
        <label htmlFor="reopen-reason">
          Reason <span className="optional">(optional)</span>
        </label>
        <input
          id="reopen-reason"
          value={reason}
          maxLength={1000}
          aria-describedby="reopen-hint"
          onChange={(event) => setReason(event.target.value)}
        />
        <span id="reopen-hint" className="muted">
          Why it goes back in the queue; kept with the reopen in the audit trail.
        </span>
      </div>
      <button type="submit" className="secondary" disabled={pending}>
        {pending ? "Reopening…" : "Reopen"}
      </button>
      <ProblemMessage problem={problem} />
    </form>
  );
}
