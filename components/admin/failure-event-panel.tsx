import type { CalEvent } from "@/lib/cal/event";
import type { FailureDetail, RelatedDelivery } from "@/lib/failure-queue/load-failure-detail";
import { CopyableCode } from "./copy-button";
import { eventFate, humanize } from "./format";
import { JsonView } from "./json-view";
import { triggerLabel } from "./labels";
import { LocalTime } from "./local-time";

/**
 * What arrived: the verification verdict, the headers we kept, every delivery of this booking, the raw body.
 */
interface FailureEventPanelProps {
  detail: FailureDetail;
  /** The parsed event; for an unverified body, what it claims. */
  event: CalEvent | null;
  related: RelatedDelivery[];
}

export function FailureEventPanel({ detail, event, related }: FailureEventPanelProps) {
  const verified = detail.verification === "verified";
  const bookingUid = event?.bookingUid ?? detail.bookingUid;
  const rescheduleUid = event?.rescheduleUid ?? detail.rescheduleUid;
  const submissionToken = event?.submissionToken ?? detail.submissionToken;
  const trigger = event?.trigger ?? detail.trigger;
  return (
    <section className="panel" aria-labelledby="event-title">
      <h2 id="event-title">The event</h2>
      <dl className="facts">
        <dt>Signature</dt>
        <dd className={verified ? "verdict-ok" : "verdict-bad"}>
          {verified
            ? "verified with an active webhook secret"
            : "did not verify: treat the content as untrusted"}
        </dd>
        <dt>Why it is here</dt>
        <dd>
          {humanize(detail.reason)}
          {detail.detail ? ` — ${detail.detail}` : ""}
        </dd>
        <dt>Trigger</dt>
        <dd>
          {triggerLabel(trigger)} {trigger ? <code>{trigger}</code> : null}
        </dd>
        <dt>Booking uid</dt>
        <dd>
          {bookingUid ? <CopyableCode value={bookingUid} label="booking uid" /> : "—"}
          {rescheduleUid ? (
            <>
              {" "}
              (replaces <CopyableCode value={rescheduleUid} label="replaced booking uid" />)
            </>
          ) : null}
        </dd>
        <dt>Submission token</dt>
        <dd>
          {submissionToken ? <CopyableCode value={submissionToken} label="submission token" /> : "none"}
        </dd>
        <dt>Attendee</dt>
        <dd>
          {event?.attendeeName ?? detail.attendeeName ?? "—"} ·{" "}
          {event?.attendeeEmail ?? detail.attendeeEmail ?? "—"}
        </dd>
        <dt>Event time</dt>
        <dd>
          <LocalTime value={event?.createdAt ?? detail.eventCreatedAt} />
        </dd>
        <dt>Received</dt>
        <dd>
          <LocalTime value={detail.receivedAt} />; {detail.deliveryCount} deliver
          {detail.deliveryCount === 1 ? "y" : "ies"}, last <LocalTime value={detail.lastReceivedAt} />
        </dd>
        <dt>X-Cal-Signature-256</dt>
        <dd>
          {detail.signatureHeader ? (
            <CopyableCode value={detail.signatureHeader} label="signature" />
          ) : (
            "missing"
          )}
        </dd>
        <dt>X-Cal-Webhook-Version</dt>
        <dd>{detail.webhookVersion ?? "—"}</dd>
        <dt>Body SHA-256</dt>
        <dd>
          <CopyableCode value={detail.bodySha256} label="body SHA-256" />
        </dd>
      </dl>
      <h3>Every stored event about this booking</h3>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Trigger</th>
            <th scope="col">Event time</th>
            <th scope="col">Deliveries</th>
            <th scope="col">Signature</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {related.map((delivery) => (
            <tr key={delivery.id} aria-current={delivery.id === detail.eventId ? "true" : undefined}>
              <td data-label="Received">
                <LocalTime value={delivery.receivedAt} />
              </td>
              <td data-label="Trigger">
                {delivery.failureId && delivery.failureId !== detail.id ? (
                  <a href={`/admin/failures/${delivery.failureId}`}>{triggerLabel(delivery.trigger)}</a>
                ) : (
                  triggerLabel(delivery.trigger)
                )}
                {delivery.id === detail.eventId ? " (this one)" : ""}
              </td>
              <td data-label="Event time">
                <LocalTime value={delivery.eventCreatedAt} />
              </td>
              <td data-label="Deliveries">{delivery.deliveryCount}</td>
              <td data-label="Signature">{delivery.verification}</td>
              <td data-label="Outcome">{eventFate(delivery.outcome, delivery.resolution)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Payload</h3>
      <JsonView raw={detail.rawBody} label="raw payload" downloadHref={`/admin/failures/${detail.id}/body`} />
    </section>
  );
}
