"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { DecisionResult } from "@/lib/failure-queue/staff-decision";
import { useToast } from "./toaster";

type ActionResponse = { ok: true; result: DecisionResult } | { ok: false; error: string };

/**
 * Runs one queue decision: a toast says it went through; a problem is said once, beside the form, and stays
 * on screen until the next attempt. The action's answer carries the redrawn page (after a conflict too, so
 * the user sees the state they would now be deciding on). A decision made "& next" then opens the next open
 * item.
 */
export function useDecision() {
  const toast = useToast();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [problem, setProblem] = useState<string | null>(null);

  const decide = (run: () => Promise<ActionResponse>, onDone?: (result: DecisionResult) => void) =>
    startTransition(async () => {
      setProblem(null);
      const response = await run();
      if (!response.ok) {
        setProblem(response.error);
        return;
      }
      const { result } = response;
      if (result.kind === "done") {
        toast(result.message);
        onDone?.(result);
        if (result.nextHref) router.push(result.nextHref);
      } else {
        setProblem(result.message);
      }
    });

  return { decide, pending, problem };
}
