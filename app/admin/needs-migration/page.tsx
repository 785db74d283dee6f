import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Database migration · Booking Handoff" };

/**
 * Where console pages send staff while the database's schema is older than the code; the layout shows what to
 * run instead of this page then. Reached once the schema is current, it says so.
 */
export default function NeedsMigrationPage() {
  return (
    <main aria-labelledby="migrated-title">
      <h1 id="migrated-title">The database is up to date</h1>
      <p className="lede">
        <Link href="/admin">Back to the queue</Link>
      </p>
    </main>
  );
}
