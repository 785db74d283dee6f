import { headers } from "next/headers";
import { serverEnv } from "@/lib/env";

/** The site owner's landing page: is the handoff wired up, and where does Cal.com send its webhook? */
export default async function HomePage() {
  const requestHeaders = await headers();
  const env = serverEnv();
  const host = requestHeaders.get("host") ?? "localhost:3000";
  const scheme = requestHeaders.get("x-forwarded-proto") ?? (host.startsWith("localhost") ? "http" : "https");
  const webhookUrl = `${scheme}://${host}/api/webhooks/cal`;

  return (
    <main>
      <h1>Booking Handoff</h1>
      <p className="lede">Every call booked on Cal.com lands on its lead, and the lead&apos;s stage moves by itself.</p>
      <ul className="checks" aria-label="Setup">
        <li className="ok">
          {env.DATABASE_URL
            ? "Database: the PostgreSQL server in DATABASE_URL."
            : `Database: embedded PGlite in ${env.PGLITE_DATA_DIR} (set DATABASE_URL for Supabase or PostgreSQL).`}
        </li>
        <li className={env.CAL_WEBHOOK_SECRET.length > 0 ? "ok" : "warn"}>
          {env.CAL_WEBHOOK_SECRET.length > 0
            ? `Cal.com webhook secret configured (${env.CAL_WEBHOOK_SECRET.length} active).`
            : "CAL_WEBHOOK_SECRET is not set: the webhook answers 503 until it is."}
        </li>
        <li className={env.SUBMISSION_TOKEN_SECRET ? "ok" : "warn"}>
          {env.SUBMISSION_TOKEN_SECRET
            ? "Submission tokens are signed."
            : "SUBMISSION_TOKEN_SECRET is not set: leads cannot be captured until it is."}
        </li>
      </ul>
      <p>
        In Cal.com, add a webhook with the subscriber URL <code>{webhookUrl}</code> and the same secret as
        <code>CAL_WEBHOOK_SECRET</code>. To try it without Cal.com, create a lead with <code>POST /api/leads</code> and
        run <code>npm run cal:simulate -- BOOKING_CREATED --submission &lt;token&gt;</code>.
      </p>
    </main>
  );
}
