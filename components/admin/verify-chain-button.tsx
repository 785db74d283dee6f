"use client";

import { verifyChainAction } from "@/app/admin/audit/actions";
import { ProblemMessage } from "./problem-message";
import { useDecision } from "./use-decision";

/** Re-verifies every entry of the chain (seconds at a million entries) and keeps the result. */
export function VerifyChainButton() {
  const { decide, pending, problem } = useDecision();
  return (
    <>
      <button
        type="button"
        className="secondary small-button"
        disabled={pending}
        onClick={() => decide(() => verifyChainAction({}))}
      >
        {pending ? "Checking the whole chain…" : "Check the whole chain"}
      </button>
      <ProblemMessage problem={problem} />
    </>
  );
}
