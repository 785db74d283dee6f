import type { Delivery } from "./webhook-workload";

export interface RunResult {
  elapsedMs: number;
  latencies: number[];
  outcomes: Map<string, number>;
}

/**
 * What an answer counts as in the ledger: the outcome the body names, `rejected` for 401, else the status.
 */
export type Send = (delivery: Delivery) => Promise<string>;

function tally(outcomes: Map<string, number>, outcome: string) {
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
}

/** Full speed: `concurrency` workers, each sending the next delivery as soon as its last one is answered. */
export async function runClosedLoop(
  deliveries: Delivery[],
  concurrency: number,
  send: Send,
): Promise<RunResult> {
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++];
        const sent = performance.now();
        tally(outcomes, await send(delivery));
        latencies.push(performance.now() - sent);
      }
    }),
  );
  return { elapsedMs: performance.now() - started, latencies, outcomes };
}

/** A fixed rate, open loop: deliveries leave on schedule whether or not earlier ones were answered. */
export async function runFixedRate(
  deliveries: Delivery[],
  perSecond: number,
  send: Send,
): Promise<RunResult> {
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < deliveries.length; index++) {
    const due = started + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    inFlight.push(
      send(deliveries[index]).then((outcome) => {
        tally(outcomes, outcome);
        latencies.push(performance.now() - sent);
      }),
    );
  }
  await Promise.all(inFlight);
  return { elapsedMs: performance.now() - started, latencies, outcomes };
}

export function httpSender(url: string): Send {
  return async (delivery) => {
    const response = await fetch(`${url}/api/webhooks/cal`, {
      method: "POST",
      body: delivery.body,
      headers: {
        "content-type": "application/json",
        "x-cal-signature-256": delivery.signature,
        "x-cal-webhook-version": "2021-10-20",
      },
    });
    const body = (await response.json().catch(() => ({}))) as { status?: string };
    if (response.status === 401) return "rejected";
    return response.status === 200 && body.status ? body.status : `http_${response.status}`;
  };
}
