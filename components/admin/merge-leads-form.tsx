"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { mergeLeadsAction } from "@/app/admin/leads/actions";
import { ProblemMessage } from "./problem-message";
import { useDecision } from "./use-decision";

interface MergeLeadsFormProps {
  duplicateId: string;
  primaryId: string;
  duplicateVersion: number;
  primaryVersion: number;
  primaryLabel: string;
}

/** Merge, after an explicit confirmation; then the primary lead's page opens. */
export function MergeLeadsForm(props: MergeLeadsFormProps) {
  const { decide, pending, problem } = useDecision();
  const [confirming, setConfirming] = useState(false);
  const router = useRouter();
  const { primaryLabel, ...request } = props;
  const merge = () =>
    decide(
      () => mergeLeadsAction(request),
      (result) => {
        if (result.kind === "done" && result.href) router.push(result.href);
      },
    );

  return (
    <div className="stack">
      <ProblemMessage problem={problem} />
      {confirming ? (
        <div className="row">
          <span>Merge this lead into {primaryLabel}?</span>
          <button type="button" onClick={merge} disabled={pending}>
            {pending ? "Merging…" : "Confirm merge"}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Merge into {primaryLabel}…
        </button>
      )}
    </div>
  );
}
