/**
 * npm run bench:weight — first-load JavaScript of /book and /admin as the production build serves it: every
 * script the page's HTML loads, gzip-compressed as a CDN would send it. The Cal.com embed script (loaded
 * from Cal.com at run time) is not part of the build and not counted.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createPostgresDatabase } from "../lib/db/postgres";
import { startNextServer } from "../tests/support/next-server";
import { databaseUrl, recreateMigratedDatabase } from "../tests/support/postgres-template";
import { signedInManager } from "../tests/support/manager-session";

const DATABASE = "booking_handoff_bench_weight";
const GOAL_BOOK_KB = 150;

async function firstLoadJs(html: string) {
  // Scripts in the HTML plus the client-component chunks the RSC payload asks for; the noModule polyfill is
  // only loaded by browsers without ES modules and is not counted.
  const polyfills = new Set(
    [...html.matchAll(/<script[^>]*noModule[^>]*>/gi)]
      .map((match) => /src="([^"]+)"/.exec(match[0])?.[1])
      .filter(Boolean),
  );
  const mentioned = [...html.matchAll(/\/_next\/static\/chunks\/[\w.-]+\.js/g)].map((match) => match[0]);
  const sources = [...new Set(mentioned)].filter((source) => !polyfills.has(source));
  let raw = 0;
  let gzip = 0;
  for (const source of sources) {
    const file = await readFile(path.join(".next", source.replace(/^\/_next\//, "")));
    raw += file.length;
    gzip += gzipSync(file, { level: 9 }).length;
  }
  return { scripts: sources.length, rawKb: raw / 1024, gzipKb: gzip / 1024 };
}

async function main() {
  await recreateMigratedDatabase(DATABASE);
  const db = createPostgresDatabase(databaseUrl(DATABASE), { maxConnections: 2 });
  const { cookie } = await signedInManager(db, "weight@team.example");
  const server = await startNextServer({
    DATABASE_URL: databaseUrl(DATABASE),
    CAL_WEBHOOK_SECRET: "whsec_weight_0123456789",
    SUBMISSION_TOKEN_SECRET: "submission-weight-secret-0123456789abcdef0123",
    NEXT_PUBLIC_CAL_LINK: "bench/intro-call",
  });
  try {
    const lead = (await (
      await fetch(`${server.url}/api/leads`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Weight Test", email: "weight@client.example" }),
      })
    ).json()) as { bookingUrl: string };
    const pages: [string, string, Record<string, string>][] = [
      ["/ (intake form)", "/", {}],
      ["/book (with the scheduler)", lead.bookingUrl, {}],
      ["/admin (failure queue)", "/admin", { cookie }],
    ];
    console.log(`${"page".padEnd(30)} scripts  raw        gzip`);
    for (const [label, url, headers] of pages) {
      const response = await fetch(`${server.url}${url}`, { headers });
      const html = await response.text();
      if (url.startsWith("/book") && !html.includes("scheduler-title"))
        throw new Error("/book did not render the scheduler");
      const weight = await firstLoadJs(html);
      const goal = url.startsWith("/book")
        ? `  (goal ≤ ${GOAL_BOOK_KB} kB: ${weight.gzipKb <= GOAL_BOOK_KB ? "met" : "NOT met"})`
        : "";
      console.log(
        `${label.padEnd(30)} ${String(weight.scripts).padEnd(8)} ${`${weight.rawKb.toFixed(0)} kB`.padEnd(10)} ${weight.gzipKb.toFixed(0)} kB${goal}`,
      );
    }
  } finally {
    await server.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
