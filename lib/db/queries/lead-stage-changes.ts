import type { Sql } from "../database";

export async function insertStageChange(
  sql: Sql,
  change: { leadId: string; fromStage: string; toStage: string; webhookEventId: string },
): Promise<void> {
  await sql`
    insert into public.lead_stage_changes (lead_id, from_stage, to_stage, webhook_event_id)
    values (${change.leadId}, ${change.fromStage}, ${change.toStage}, ${change.webhookEventId})`;
}
