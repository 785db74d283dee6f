import type { Sql } from "../database";

/**
 * Counts one hit for `bucket` in the current fixed window and says whether it is within `limit`.
 * Counting happens in the database, so the limit holds across server instances.
 */
export async function hitRateLimit(sql: Sql, bucket: string, windowSeconds: number, limit: number): Promise<boolean> {
  const [row] = await sql<{ hits: number }>`
    insert into public.rate_limit_hits (bucket, window_start)
    values (${bucket}, to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}::integer) * ${windowSeconds}::integer))
    on conflict (bucket, window_start) do update set hits = rate_limit_hits.hits + 1
    returning hits`;
  return row.hits <= limit;
}

/** Hits counted for `bucket` in the current window, without counting one more. */
export async function currentRateLimitHits(sql: Sql, bucket: string, windowSeconds: number): Promise<number> {
  const [row] = await sql<{ hits: number }>`
    select coalesce(sum(hits), 0)::integer as hits from public.rate_limit_hits
    where bucket = ${bucket}
      and window_start = to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}::integer) * ${windowSeconds}::integer)`;
  return row.hits;
}
