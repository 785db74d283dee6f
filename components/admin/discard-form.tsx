"use client";

import { useState } from "react";
import { discardFailureAction } from "@/app/admin/failure-actions";
import { ProblemMessage } from "./problem-message";
import { useDecision } from "./use-decision";

/** Discard with a required reason; the reason goes into the audit trail. */
export function DiscardForm({ failureId, version }: { failureId: string; version: number }) {
  const { decide, pending, problem } = useDecision();
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const missing = reason.trim() === "";

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setTouched(true);
        if (!missing) decide(() => discardFailureAction({ failureId, version, reason }));
      }}
    >
      <div className="field">
        <label htmlFor="discard-reason">Why discard it?</label>
        <input
          id="discard-reason"
          value={reason}
          maxLength={1000}
          aria-invalid={touched && missing}
          aria-describedby={touched && missing ? "discard-reason-error" : undefined}
          onChange={(event) => setReason(event.target.value)}
        />
        {touched && missing ? (
          <p id="discard-reason-error" className="field-error">
            A reason is required to discard.
          </p>
        ) : null}
      </div>
      <ProblemMessage problem={problem} />
      <button type="submit" className="danger" disabled={pending}>
        {pending ? "Discarding…" : "Discard"}
      </button>
    </form>
  );
}
