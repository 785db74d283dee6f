import { z } from "zod";
import { type SearchParams, firstValue } from "../http/search-params";

/** The health page's period: the last N whole days up to now, in UTC (the page says so). */
export const PERIOD_DAYS = [7, 30, 90] as const;

export interface HealthPeriod {
  days: (typeof PERIOD_DAYS)[number];
  from: Date;
  to: Date;
}

const daysSchema = z.coerce
  .number()
  .pipe(z.union(PERIOD_DAYS.map((days) => z.literal(days))))
  .catch(7);

export function healthPeriod(search: SearchParams, now = new Date()): HealthPeriod {
  const days = daysSchema.parse(firstValue(search.days));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { days, from: new Date(today - (days - 1) * 86_400_000), to: now };
}
