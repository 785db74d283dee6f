import { BookedCall } from "@/components/booked-call";
import { BookingScheduler } from "@/components/booking-scheduler";
import { embedSettings } from "@/lib/cal/embed-settings";
import { getDatabase } from "@/lib/db/client";
import { serverEnv, submissionTokenKeys } from "@/lib/env";
import type { SearchParams } from "@/lib/http/search-params";
import { firstValue } from "@/lib/http/search-params";
import { formatBookingTime } from "@/lib/leads/booking-times";
import { type LinkBooking, loadBookingLink } from "@/lib/leads/load-booking-link";

export const metadata = { title: "Book your call · Booking Handoff" };

function Notice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main aria-labelledby="notice-title">
      <h1 id="notice-title">{title}</h1>
      {children}
    </main>
  );
}

// A full page load, so the form gets its own, stricter policy back.
const BackToForm = ({ label }: { label: string }) => (
  <p>
    {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
    <a href="/">{label}</a>
  </p>
);

const ENDED: Record<string, string> = {
  cancelled: "was cancelled",
  reschedule_requested: "needs a new time: the host asked you to pick another one",
  rejected: "could not be confirmed",
  completed: "has taken place",
  no_show: "was missed",
};

function lastEnded(bookings: LinkBooking[]): LinkBooking | undefined {
  return [...bookings]
    .filter((booking) => booking.state !== "live")
    .sort((a, b) => (b.start_time ?? "").localeCompare(a.start_time ?? ""))[0];
}

/**
 * The booking page knows its lead: a live booking is shown (with Cal.com's reschedule and cancel links), and
 * the scheduler appears only for a first booking, after the last one ended, or when the lead asks to book
 * another call. Nothing is shown to a link that does not check out: it would book an orphan.
 */
export default async function BookPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const search = await searchParams;
  const env = serverEnv();
  const settings = embedSettings(env);
  const keys = submissionTokenKeys(env);
  if (!settings || !keys) {
    return (
      <Notice title="Booking is not configured">
        <p>
          Set <code>NEXT_PUBLIC_CAL_LINK</code> (your Cal.com event, for example <code>team/intro-call</code>)
          and <code>SUBMISSION_TOKEN_SECRET</code>, then restart. See the README&apos;s configuration table.
        </p>
      </Notice>
    );
  }
  const token = firstValue(search.submission) ?? null;
  const link = await loadBookingLink(await getDatabase(), token, keys);
  if (link.kind === "invalid") {
    return (
      <Notice title="This booking link doesn't work">
        <p>
          The link is incomplete or has been changed, so we can&apos;t connect a booking to your request.
          Please fill in the short form again and you&apos;ll get a fresh link.
        </p>
        <BackToForm label="Back to the form" />
      </Notice>
    );
  }
  if (link.kind === "expired") {
    return (
      <Notice title="This link has expired">
        <p>
          Booking links stay valid for {keys.ttlDays} days, and this one ran out. Your earlier bookings are
          not affected. Fill in the short form again to get a fresh link.
        </p>
        <BackToForm label="Get a new booking link" />
      </Notice>
    );
  }

  const live = link.bookings.filter((booking) => booking.state === "live");
  const wantsAnother = firstValue(search.another) === "1";
  const submission = token as string;
  const scheduler = (
    <BookingScheduler
      calLink={settings.calLink}
      calOrigin={settings.calOrigin}
      embedJsUrl={settings.embedJsUrl}
      submissionToken={submission}
      name={link.name}
      email={link.email}
    />
  );

  if (live.length > 0 && !wantsAnother) {
    return (
      <main aria-labelledby="book-title" className="book">
        <h1 id="book-title">
          {live.length === 1 ? `You're booked, ${link.name}` : `Your calls, ${link.name}`}
        </h1>
        <p className="lede">
          Here {live.length === 1 ? "is your call" : "are your calls"}. Need to change something? Use the
          links below.
        </p>
        {live.map((booking) => (
          <BookedCall key={booking.current_uid} booking={booking} calOrigin={settings.calOrigin} />
        ))}
        <p>
          {/* A new document, so the scheduler gets this page's policy. */}
          <a href={`/book?submission=${encodeURIComponent(submission)}&another=1`}>Book another call</a>
        </p>
      </main>
    );
  }

  const ended = live.length === 0 ? lastEnded(link.bookings) : undefined;
  return (
    <main aria-labelledby="book-title" className="book">
      <h1 id="book-title">
        {wantsAnother ? `Book another call, ${link.name}` : `Pick a time, ${link.name}`}
      </h1>
      {ended ? (
        <p className="booking-history">
          Your call on {formatBookingTime(ended.start_time, ended.end_time, ended.time_zone)}{" "}
          {ENDED[ended.state === "closed" ? ended.status : ended.state]}. Pick a new time below.
        </p>
      ) : null}
      <p className="lede">Choose a slot. Your details are already filled in.</p>
      {scheduler}
    </main>
  );
}
