"use client";

import Cal, { getCalApi } from "@calcom/embed-react";
import { useEffect, useMemo, useState } from "react";

export const CAL_NAMESPACE = "booking-handoff";

interface BookingSchedulerProps {
  calLink: string;
  calOrigin: string;
  embedJsUrl: string;
  submissionToken: string;
  name: string;
  email: string;
  /** How long the embed may take to say it is ready before the direct link becomes the way forward. */
  readyTimeoutMs?: number;
}

type Phase = "loading" | "slow" | "ready" | "booked";

export const EMBED_READY_TIMEOUT_MS = 6000;

/**
 * The Cal.com scheduler with the lead's signed token in `metadata[submissionId]` and their name and email
 * prefilled. The confirmation shown here is a courtesy: the webhook is what ties the booking to the lead.
 */
export function BookingScheduler(props: BookingSchedulerProps) {
  const {
    calLink,
    calOrigin,
    embedJsUrl,
    submissionToken,
    name,
    email,
    readyTimeoutMs = EMBED_READY_TIMEOUT_MS,
  } = props;
  const [phase, setPhase] = useState<Phase>("loading");
  // <Cal> reads its config once, so it is built once, from values known before the first render.
  const config = useMemo(
    () => ({ "metadata[submissionId]": submissionToken, name, email }),
    [submissionToken, name, email],
  );
  const directLink = useMemo(() => {
    const url = new URL(`${calOrigin}/${calLink}`);
    for (const [key, value] of Object.entries(config)) url.searchParams.set(key, value);
    return url.toString();
  }, [calOrigin, calLink, config]);

  useEffect(() => {
    void getCalApi({ namespace: CAL_NAMESPACE, embedJsUrl }).then((cal) => {
      cal("on", {
        action: "linkReady",
        callback: () => setPhase((current) => (current === "booked" ? current : "ready")),
      });
      cal("on", { action: "bookingSuccessfulV2", callback: () => setPhase("booked") });
    });
    // A blocked script, a privacy extension or a slow network: the direct link still works.
    const timer = setTimeout(
      () => setPhase((current) => (current === "loading" ? "slow" : current)),
      readyTimeoutMs,
    );
    return () => clearTimeout(timer);
  }, [embedJsUrl, readyTimeoutMs]);

  return (
    <section aria-labelledby="scheduler-title" className="scheduler">
      <h2 id="scheduler-title" className="visually-hidden">
        Scheduler
      </h2>
      {phase === "loading" && (
        <p role="status" className="scheduler-status">
          Loading available times…
        </p>
      )}
      {phase === "slow" && (
        <div role="alert" className="scheduler-slow">
          <p>The scheduler is taking longer than usual to load here.</p>
          <p>
            <a className="button-link" href={directLink}>
              Book on Cal.com instead
            </a>
          </p>
          <p className="scheduler-fallback">Your details go with you, and the booking still reaches us.</p>
        </div>
      )}
      {phase === "booked" && (
        <p role="status" className="scheduler-booked">
          You&apos;re booked. A confirmation is on its way to {email}.
        </p>
      )}
      <Cal
        namespace={CAL_NAMESPACE}
        calLink={calLink}
        calOrigin={calOrigin}
        embedJsUrl={embedJsUrl}
        config={config}
        className="scheduler-frame"
      />
      <p className="scheduler-fallback">
        Scheduler not showing? <a href={directLink}>Open the booking page on Cal.com</a>.
      </p>
    </section>
  );
}
