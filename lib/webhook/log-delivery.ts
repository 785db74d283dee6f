import { causeOf, logger } from "../log/logger";
import type { DeliveryReport } from "./receive-cal-delivery";

/**
 * The one line per webhook delivery: outcome, status, trigger, how long it took, the request id its audit
 * entries carry, and the delivery's body hash as its id (repeats share it). A 5xx says why, at error level.
 */
export function logDelivery(
  line: DeliveryReport & { status: number; requestId: string; durationMs: number },
): void {
  const fields = {
    event: "webhook.delivery",
    outcome: line.result,
    status: line.status,
    trigger: line.trigger,
    deliveryId: line.bodySha256?.slice(0, 16) ?? null,
    requestId: line.requestId,
    durationMs: Math.round(line.durationMs * 10) / 10,
    ...(line.cause === undefined ? {} : { cause: causeOf(line.cause) }),
  };
  if (line.status >= 500) logger().error(fields, "webhook delivery refused");
  else if (line.status >= 400) logger().warn(fields, "webhook delivery rejected");
  else logger().info(fields, "webhook delivery");
}
