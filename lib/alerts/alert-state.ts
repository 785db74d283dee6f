import type { Sql } from "../db/database";
import type { RuleName, RuleVerdict } from "./alert-rules";

export interface AlertTransition {
  rule: RuleName;
  change: "fired" | "cleared";
  message: string;
}

interface StoredState {
  rule: RuleName;
  firing: boolean;
}

/**
 * Compares each verdict with the stored state and returns what changed: a condition alerts once when it
 * starts and once when it clears, never while it holds. Call inside the transaction that saves the result.
 */
export async function alertTransitions(sql: Sql, verdicts: RuleVerdict[]): Promise<AlertTransition[]> {
  const stored = await sql<StoredState>`select rule, firing from public.alert_states for update`;
  const firing = new Set(stored.filter((state) => state.firing).map((state) => state.rule));
  return verdicts
    .filter((verdict) => verdict.evaluated && verdict.firing !== firing.has(verdict.rule))
    .map((verdict) => ({
      rule: verdict.rule,
      change: verdict.firing ? "fired" : "cleared",
      message: verdict.firing ? verdict.message : `Cleared: ${verdict.message}`,
    }));
}

export async function saveAlertStates(
  sql: Sql,
  verdicts: RuleVerdict[],
  notified: Set<RuleName>,
): Promise<void> {
  for (const verdict of verdicts.filter((v) => v.evaluated)) {
    await sql`
      insert into public.alert_states (rule, firing, since, last_value, last_checked_at, last_notified_at)
      values (${verdict.rule}, ${verdict.firing}::boolean, case when ${verdict.firing}::boolean then now() end,
        ${verdict.value}::double precision, now(), case when ${notified.has(verdict.rule)}::boolean then now() end)
      on conflict (rule) do update set
        firing = excluded.firing,
        since = case when excluded.firing and not alert_states.firing then now() when excluded.firing then alert_states.since end,
        last_value = excluded.last_value,
        last_checked_at = now(),
        last_notified_at = coalesce(excluded.last_notified_at, alert_states.last_notified_at)`;
  }
}

/** Puts a rule back to its state before an undelivered change, so the next check sends it again. */
export async function revertAlertState(sql: Sql, transition: AlertTransition): Promise<void> {
  await sql`update public.alert_states set firing = ${transition.change === "cleared"}::boolean where rule = ${transition.rule}`;
}
