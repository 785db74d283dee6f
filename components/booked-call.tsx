import type { LinkBooking } from "@/lib/leads/load-booking-link";
import { formatBookingTime } from "@/lib/leads/booking-times";

interface BookedCallProps {
  booking: LinkBooking;
  calOrigin: string;
}

const STATUS_LINE: Record<string, string> = {
  pending: "Requested: the host confirms it shortly, and you will get an email.",
  awaiting_payment: "Reserved: it is confirmed once your payment goes through.",
  accepted: "Confirmed.",
};

/**
 * A live booking as its lead sees it: what, when in their own time zone, how to join, and Cal.com's own
 * links.
 */
export function BookedCall({ booking, calOrigin }: BookedCallProps) {
  const joinIsLink = booking.join_url !== null;
  const placeText =
    booking.location && !booking.location.startsWith("integrations:") && !joinIsLink
      ? booking.location
      : null;
  return (
    <article className="booking-card" aria-labelledby={`call-${booking.current_uid}`}>
      <h2 id={`call-${booking.current_uid}`}>{booking.title ?? "Your call"}</h2>
      <p className="when">{formatBookingTime(booking.start_time, booking.end_time, booking.time_zone)}</p>
      <p>{STATUS_LINE[booking.status] ?? ""}</p>
      {joinIsLink ? (
        <p>
          Join at <a href={booking.join_url as string}>{booking.join_url}</a>
        </p>
      ) : placeText ? (
        <p>Where: {placeText}</p>
      ) : (
        <p>The link to join is in your confirmation email.</p>
      )}
      <div className="booking-actions">
        <a
          className="button-link secondary"
          href={`${calOrigin}/reschedule/${encodeURIComponent(booking.current_uid)}`}
        >
          Reschedule on Cal.com
        </a>
        <a
          className="button-link secondary"
          href={`${calOrigin}/booking/${encodeURIComponent(booking.current_uid)}?cancel=true`}
        >
          Cancel on Cal.com
        </a>
      </div>
    </article>
  );
}
