import { type Fragment, fragment } from "./fragment";

/** `from`/`to` day filters on a timestamp column, as whole UTC days: `to` includes its own day. */
export function utcDayRange(column: Fragment, from: string | undefined, to: string | undefined): Fragment[] {
  const parts: Fragment[] = [];
  if (from) parts.push(fragment`${column} >= ${from}::text::date::timestamp at time zone 'UTC'`);
  if (to) parts.push(fragment`${column} < (${to}::text::date + 1)::timestamp at time zone 'UTC'`);
  return parts;
}
