import type { Sql } from "../db/database";

export interface OpenNeighbours {
  /**
   * The open item after this one in the queue's default order (newest first); the newest open one past the
   * end.
   */
  next: string | null;
  /** The open item before this one, if any. */
  previous: string | null;
}

/**
 * Where staff go after deciding an item, or with j / k on its page: the open items either side of it, read
 * from the queue's own index (status, created_at desc, id desc). It holds for an item that is no longer open.
 */
export async function openNeighbours(sql: Sql, failureId: string): Promise<OpenNeighbours> {
  const [row] = await sql<{ older: string | null; newer: string | null; newest: string | null }>`
    with this as (select created_at, id from public.webhook_failures where id = ${failureId})
    select
      (select f.id from public.webhook_failures f, this
        where f.status = 'open' and (f.created_at, f.id) < (this.created_at, this.id)
        order by f.created_at desc, f.id desc limit 1) as older,
      (select f.id from public.webhook_failures f, this
        where f.status = 'open' and (f.created_at, f.id) > (this.created_at, this.id)
        order by f.created_at, f.id limit 1) as newer,
      (select f.id from public.webhook_failures f
        where f.status = 'open' and f.id <> ${failureId}
        order by f.created_at desc, f.id desc limit 1) as newest`;
  return { next: row?.older ?? row?.newest ?? null, previous: row?.newer ?? null };
}

/** The page to open after a decision made "& next": the next open item, or the queue when none is left. */
export async function nextOpenHref(sql: Sql, failureId: string): Promise<string> {
  const { next } = await openNeighbours(sql, failureId);
  return next ? `/admin/failures/${next}` : "/admin";
}
