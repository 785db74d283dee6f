import { BookingScheduler } from "@/components/booking-scheduler";
import { embedSettings } from "@/lib/cal/embed-settings";
import { getDatabase } from "@/lib/db/client";
import { serverEnv } from "@/lib/env";
import { findLeadByToken } from "@/lib/leads/find-lead-by-token";

export const metadata = { title: "Book your call · Booking Handoff" };

function Notice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main aria-labelledby="notice-title">
      <h1 id="notice-title">{title}</h1>
      {children}
    </main>
  );
}

/** The scheduler, shown only to a lead whose signed token checks out: anything else would book an orphan. */
export default async function BookPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { submission } = await searchParams;
  const env = serverEnv();
  const settings = embedSettings(env);
  if (!settings || !env.SUBMISSION_TOKEN_SECRET) {
    return (
      <Notice title="Booking is not configured">
        <p>
          Set <code>NEXT_PUBLIC_CAL_LINK</code> (your Cal.com event, for example <code>team/intro-call</code>) and{" "}
          <code>SUBMISSION_TOKEN_SECRET</code>, then restart. See the README&apos;s configuration table.
        </p>
      </Notice>
    );
  }
  const token = typeof submission === "string" ? submission : null;
  const lead = await findLeadByToken(await getDatabase(), token, env.SUBMISSION_TOKEN_SECRET);
  if (!lead) {
    return (
      <Notice title="This booking link doesn't work">
        <p>
          The link is incomplete or has been changed, so we can&apos;t connect a booking to your request. Please fill in
          the short form again and you&apos;ll get a fresh link.
        </p>
        <p>
          {/* A full page load, so the form gets its own, stricter policy back. */}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
          <a href="/">Back to the form</a>
        </p>
      </Notice>
    );
  }
  return (
    <main aria-labelledby="book-title" className="book">
      <h1 id="book-title">Pick a time, {lead.name}</h1>
      <p className="lede">Choose a slot for your intro call. Your details are already filled in.</p>
      <BookingScheduler
        calLink={settings.calLink}
        calOrigin={settings.calOrigin}
        embedJsUrl={settings.embedJsUrl}
        submissionToken={token as string}
        name={lead.name}
        email={lead.email}
      />
    </main>
  );
}
