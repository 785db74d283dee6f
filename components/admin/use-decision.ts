"use client";

import { useState, useTransition } from "react";
import type { DecisionResult } from "@/lib/failure-queue/staff-decision";
import { useToast } from "./toaster";

type ActionResponse = { ok: true; result: DecisionResult } | { ok: false; error: string };

/**
 * Runs one queue decision: a toast says how it went. The action's answer carries the redrawn page (after
 * a conflict too, so the user sees the state they would now be deciding on). The last problem stays on
 * screen until the next attempt.
 */
export function useDecision() {
  const toast = useToast();
  const [pending, startTransition] = useTransition();
  const [problem, setProblem] = useState<string | null>(null);

  const decide = (run: () => Promise<ActionResponse>, onDone?: (result: DecisionResult) => void) =>
    startTransition(async () => {
      setProblem(null);
      const response = await run();
      if (!response.ok) {
        setProblem(response.error);
        toast(response.error, "error");
        return;
      }
      const { result } = response;
      if (result.kind === "done") {
        toast(result.message);
        onDone?.(result);
      } else {
        setProblem(result.message);
        toast(result.message, "error");
      }
    });

  return { decide, pending, problem };
}
