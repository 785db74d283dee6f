"use client";

import { type FormEvent, useState } from "react";
import { discardFailureAction } from "@/app/admin/failure-actions";
import { ProblemMessage } from "./problem-message";
import { useDecision } from "./use-decision";

/**
 * Discard with a required reason; the reason goes into the audit trail. "Discard & next" then opens the next
 * item.
 */
export function DiscardForm({ failureId, version }: { failureId: string; version: number }) {
  const { decide, pending, problem } = useDecision();
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const missing = reason.trim() === "";

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTouched(true);
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const andNext = submitter instanceof HTMLButtonElement && submitter.value === "next";
    if (missing) document.getElementById("discard-reason")?.focus();
    else decide(() => discardFailureAction({ failureId, version, reason, andNext }));
  };

  return (
    <form className="stack" noValidate onSubmit={submit}>
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
      <div className="row">
        <button type="submit" className="danger" disabled={pending}>
          {pending ? "Discarding…" : "Discard"}
        </button>
        <button type="submit" className="secondary" value="next" disabled={pending}>
          Discard &amp; next
        </button>
      </div>
    </form>
  );
}
