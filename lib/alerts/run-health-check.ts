import type { Database } from "../db/database";
import {
  type AlertConfig,
  type AuditChainHealth,
  type RuleName,
  type RuleVerdict,
  evaluateRules,
} from "./alert-rules";
import { type AlertTransition, alertTransitions, revertAlertState, saveAlertStates } from "./alert-state";
import { measureHealth } from "./health-measures";
import { postToChat } from "./post-to-chat";

export interface HealthCheckReport {
  verdicts: RuleVerdict[];
  sent: AlertTransition[];
  /** Transitions not delivered: their state is put back, so the next check sends them again. */
  unsent: (AlertTransition & { problem: string })[];
}

/**
 * One health check: measure, evaluate every rule, record what started or cleared (checks are serialised,
 * so two scheduler runs cannot both claim a change), then post it. A message that does not go out puts
 * its rule's state back, so a chat outage delays an alert instead of losing it. The chat is called outside
 * the transaction: a slow webhook must not hold the database. Without a chat URL changes are only reported.
 */
export async function runHealthCheck(
  db: Database,
  config: AlertConfig,
  chatWebhookUrl: string | undefined,
  now = new Date(),
  chain?: AuditChainHealth,
): Promise<HealthCheckReport> {
  const { verdicts, transitions } = await db.transaction(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('booking-handoff health check'))`;
    const evaluated = evaluateRules(await measureHealth(tx), config, now, chain);
    const changes = await alertTransitions(tx, evaluated);
    await saveAlertStates(tx, evaluated, new Set<RuleName>(changes.map((change) => change.rule)));
    return { verdicts: evaluated, transitions: changes };
  });

  const sent: AlertTransition[] = [];
  const unsent: HealthCheckReport["unsent"] = [];
  for (const transition of transitions) {
    const posted = chatWebhookUrl
      ? await postToChat(chatWebhookUrl, `Booking Handoff: ${transition.message}`)
      : ({ ok: true } as const);
    if (posted.ok) {
      sent.push(transition);
      continue;
    }
    unsent.push({ ...transition, problem: posted.problem });
    await revertAlertState(db.sql, transition);
  }
  return { verdicts, sent, unsent };
}
