import { EXPECTED_SCHEMA_VERSION } from "@/lib/db/schema-version";

/** What the console shows instead of its pages while the database's schema is older than the code. */
export function SchemaOutdated({ found }: { found: string | null }) {
  return (
    <main aria-labelledby="schema-outdated-title">
      <h1 id="schema-outdated-title">The database needs its migrations</h1>
      <p className="lede">
        This version of Booking Handoff needs the database schema up to migration{" "}
        <code>{EXPECTED_SCHEMA_VERSION}</code>; the database has{" "}
        {found ? <code>{found}</code> : "none it knows"}. Until it is migrated, the webhook answers 503 and
        nothing is written.
      </p>
      <p>
        Run <code>npm run db:migrate</code> with <code>DATABASE_MIGRATION_URL</code> set to the schema
        owner&apos;s connection (or <code>supabase db push</code>); this page works again within seconds,
        without a restart.
      </p>
    </main>
  );
}
