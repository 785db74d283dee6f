import type { Sql } from "../db/database";

/** An entry's content as the chain signs it, read from the view public.audit_entry_text. */
export interface SignableEntry {
  entry_id: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string;
  actor_email: string | null;
  actor_role: string | null;
  action: string;
  lead_id: string | null;
  webhook_event_id: string | null;
  failure_id: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  request_context: string | null;
}

export function canonicalEntry(entry: SignableEntry): string {
  return JSON.stringify([
    entry.entry_id,
    entry.occurred_at,
    entry.actor_type,
    entry.actor_id,
    entry.actor_email,
    entry.actor_role,
    entry.action,
    entry.lead_id,
    entry.webhook_event_id,
    entry.failure_id,
    entry.before,
    entry.after,
    entry.reason,
    entry.request_context,
  ]);
}

/** What seal `seq` signs: its place, the seal before it, and its entry. */
export const sealText = (seq: number, previousMac: string, entry: SignableEntry) =>
  `${seq}|${previousMac}|${canonicalEntry(entry)}`;

export interface ChainPoint {
  seq: number;
  mac: string;
}

/**
 * The newest seal, or the retention anchor when every sealed entry was purged, or nothing yet. A seal row
 * below 1 is outside the chain (the verifier names it); the chain never continues from one.
 */
export async function chainHead(sql: Sql): Promise<ChainPoint | null> {
  const [row] = await sql<ChainPoint>`
    select seq, mac from (
      (select seq, mac from public.audit_seals where seq > 0 order by seq desc limit 1)
      union all
      (select seq, mac from public.audit_chain_anchor)) points
    order by seq desc limit 1`;
  return row ?? null;
}
