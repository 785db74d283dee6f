import type { HealthMeasures } from "./health-measures";

export interface AlertConfig {
  openItems: number;
  oldestOpenHours: number;
  unverifiedPerHour: number;
  silenceHours: number;
  /** Business hours [start, end) on days [first, last], 1 = Monday, in `timeZone`. */
  businessHours: [number, number];
  businessDays: [number, number];
  timeZone: string;
  /** CAL_API_KEY is set: the backfill can read refused deliveries back. */
  backfillConfigured: boolean;
}

/**
 * With the backfill configured, refused deliveries alert only when it has not read them back in this long.
 */
const REFUSED_RECOVERY_HOURS = 1;

export type RuleName =
  | "queue_size"
  | "oldest_open_item"
  | "unverified_deliveries"
  | "no_events"
  | "audit_chain"
  | "refused_deliveries";

/** The audit chain's last full verification, when the job ran one before the rules. */
export interface AuditChainHealth {
  intact: boolean;
  problem: string | null;
  headSeq: number | null;
}

/**
 * A rule's verdict now; `evaluated: false` means the rule does not apply at this moment (outside business
 * hours).
 */
export interface RuleVerdict {
  rule: RuleName;
  evaluated: boolean;
  firing: boolean;
  value: number | null;
  message: string;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export function isBusinessTime(now: Date, config: AlertConfig): boolean {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: config.timeZone,
    weekday: "short",
    hour: "numeric",
    hourCycle: "h23",
  }).formatToParts(now);
  const day = WEEKDAYS.indexOf(parts.find((part) => part.type === "weekday")?.value ?? "") + 1;
  const hour = Number(parts.find((part) => part.type === "hour")?.value);
  const [firstDay, lastDay] = config.businessDays;
  const [startHour, endHour] = config.businessHours;
  return day >= firstDay && day <= lastDay && hour >= startHour && hour < endHour;
}

const round = (value: number) => Math.round(value * 10) / 10;
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Each rule against its threshold. Pure: the caller measures, the state store decides what to send. */
export function evaluateRules(
  measures: HealthMeasures,
  config: AlertConfig,
  now: Date,
  chain?: AuditChainHealth,
): RuleVerdict[] {
  const silence = measures.hoursSinceLastEvent;
  return [
    {
      rule: "audit_chain",
      evaluated: chain !== undefined,
      firing: chain?.intact === false,
      value: chain?.headSeq ?? null,
      message:
        chain?.intact === false
          ? `The audit trail failed verification: ${chain.problem}. Entries from there on cannot be trusted.`
          : `The audit trail verifies${chain?.headSeq ? ` up to entry #${chain.headSeq}` : ""}.`,
    },
    {
      rule: "queue_size",
      evaluated: true,
      firing: measures.openItems > config.openItems,
      value: measures.openItems,
      message: `${count(measures.openItems, "item waits", "items wait")} in the failure queue (alert above ${config.openItems}).`,
    },
    {
      rule: "oldest_open_item",
      evaluated: true,
      firing: (measures.oldestOpenHours ?? 0) > config.oldestOpenHours,
      value: measures.oldestOpenHours,
      message: `The oldest open item has waited ${round(measures.oldestOpenHours ?? 0)} h (alert above ${config.oldestOpenHours} h).`,
    },
    {
      rule: "unverified_deliveries",
      evaluated: true,
      firing: measures.unverifiedLastHour > config.unverifiedPerHour,
      value: measures.unverifiedLastHour,
      message: `${count(measures.unverifiedLastHour, "delivery", "deliveries")} failed the signature check in the last hour (alert above ${config.unverifiedPerHour}): a rotated secret, or someone probing the webhook.`,
    },
    {
      rule: "refused_deliveries",
      evaluated: true,
      firing:
        measures.refusedUnrecovered > 0 &&
        (!config.backfillConfigured || (measures.oldestRefusedHours ?? 0) > REFUSED_RECOVERY_HOURS),
      value: measures.refusedUnrecovered,
      message:
        measures.refusedUnrecovered === 0
          ? "Every delivery refused while the database was away has been read back."
          : `${count(measures.refusedUnrecovered, "delivery was", "deliveries were")} refused (503) while the database was unreachable, ` +
            `the first ${round(measures.oldestRefusedHours ?? 0)} h ago; Cal.com does not send them again. ` +
            (config.backfillConfigured
              ? "The backfill has not read them back yet: check that the scheduled job runs and reaches Cal.com's API."
              : "Set CAL_API_KEY so the backfill reads those bookings back, or check the bookings made in that time in Cal.com."),
    },
    {
      rule: "no_events",
      evaluated: isBusinessTime(now, config),
      firing: silence === null || silence > config.silenceHours,
      value: silence,
      message:
        silence === null
          ? "No event has ever arrived from Cal.com: is the webhook configured?"
          : `No event from Cal.com for ${round(silence)} h during business hours (alert above ${config.silenceHours} h).`,
    },
  ];
}
