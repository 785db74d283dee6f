"use client";

import { useState } from "react";
import { applyFailureAction } from "@/app/admin/failure-actions";
import { ProblemMessage } from "./problem-message";
import { useDecision } from "./use-decision";

interface ApplyMatchFormProps {
  failureId: string;
  leadId: string;
  leadLabel: string;
  failureVersion: number;
  leadVersion: number;
  unverified: boolean;
}

/** Apply, after an explicit confirmation; an unverified event also needs the override box and a reason. */
export function ApplyMatchForm(props: ApplyMatchFormProps) {
  const { decide, pending, problem } = useDecision();
  const [confirming, setConfirming] = useState(false);
  const [override, setOverride] = useState(false);
  const [reason, setReason] = useState("");
  const blocked = props.unverified && (!override || reason.trim() === "");

  const apply = (andNext: boolean) =>
    decide(
      () =>
        applyFailureAction({
          failureId: props.failureId,
          leadId: props.leadId,
          failureVersion: props.failureVersion,
          leadVersion: props.leadVersion,
          overrideUnverified: override,
          reason: reason.trim() || null,
          andNext,
        }),
      () => setConfirming(false),
    );

  return (
    <div className="stack">
      {props.unverified ? (
        <fieldset className="stack">
          <legend>This event&apos;s signature did not verify</legend>
          <label>
            <input
              type="checkbox"
              checked={override}
              onChange={(event) => setOverride(event.target.checked)}
            />{" "}
            Override: I checked this event with Cal.com and want it applied anyway
          </label>
        </fieldset>
      ) : null}
      <div className="field">
        <label htmlFor="apply-reason">
          Reason {props.unverified ? "(required)" : <span className="optional">(optional)</span>}
        </label>
        <input
          id="apply-reason"
          value={reason}
          maxLength={1000}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <ProblemMessage problem={problem} />
      {confirming ? (
        <div className="row">
          <span>Apply this event to {props.leadLabel}?</span>
          {/* The question just appeared where the button was: its answer is where the keyboard goes next. */}
          <button type="button" onClick={() => apply(false)} disabled={pending || blocked} autoFocus>
            {pending ? "Applying…" : "Confirm apply"}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => apply(true)}
            disabled={pending || blocked}
          >
            Apply &amp; next
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" data-key-action="apply" onClick={() => setConfirming(true)} disabled={blocked}>
          Apply to this lead…
        </button>
      )}
    </div>
  );
}
