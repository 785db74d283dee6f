import type { ServerEnv } from "../env";
import type { AlertConfig } from "./alert-rules";

const range = (text: string): [number, number] => {
  const [first, last] = text.split("-").map(Number);
  return [first, last ?? first];
};

export function alertConfigOf(env: ServerEnv): AlertConfig {
  return {
    openItems: env.ALERT_OPEN_ITEMS,
    oldestOpenHours: env.ALERT_OLDEST_OPEN_HOURS,
    unverifiedPerHour: env.ALERT_UNVERIFIED_PER_HOUR,
    silenceHours: env.ALERT_SILENCE_HOURS,
    businessHours: range(env.BUSINESS_HOURS),
    businessDays: range(env.BUSINESS_DAYS),
    timeZone: env.BUSINESS_TIMEZONE,
    backfillConfigured: env.CAL_API_KEY !== undefined,
  };
}
