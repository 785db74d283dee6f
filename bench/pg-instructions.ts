/**
 * What one delivery costs PostgreSQL, counted in instructions rather than timed: on a shared two-core machine
 * events/s and CPU milliseconds move by 20% between runs of the same code, callgrind's counts by a few parts per
 * million. A scratch PostgreSQL cluster gets the migrations, leads and warm-up deliveries over TCP, then stops;
 * `postgres --single` replays deliveries on a copy of it under `valgrind --tool=callgrind`, once with 50 and once
 * with 350, and the difference over 300 is one delivery's count, setup and shutdown cancelled out.
 *
 *   npm run bench:pg-instructions          (PG_BIN: the server's binaries, default /usr/lib/postgresql/15/bin)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { parseCalBody } from "../lib/cal/parse-cal-body";
import { makeBookingCreated } from "../lib/cal/payload-factories";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const PORT = Number(process.env.BENCH_PG_PORT ?? 5499);
const DB = "bench";
const LEADS = 2_000;
const WARMUP = 500;
const FEW = 50;
const MANY = 350;

// initdb and postgres refuse to run as root; as root the cluster belongs to the postgres user.
const asRoot = process.getuid?.() === 0;
const run = (command: string, args: string[], input?: string) =>
  spawnSync(asRoot ? "runuser" : command, asRoot ? ["-u", "postgres", "--", command, ...args] : args, {
    input,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });

function must(result: ReturnType<typeof run>, what: string): void {
  if (result.status !== 0) throw new Error(`${what} failed:\n${result.stderr || result.stdout}`);
}

const CONTEXT = JSON.stringify({
  actor: { type: "system", id: "cal-webhook", email: null, role: null },
  action: "lead.updated_by_webhook",
  requestContext: { requestId: "00000000-0000-4000-8000-000000000000" },
});
/** One delivery as SQL; n is a fresh number per statement, so each names its own booking and (if any) lead. */
const deliveryStatement = (key: string, submission: string) =>
  `select public.reconcile_cal_event(${key}, 'webhook', replace(t.raw, t.uid, 'u' || s.n), md5(s.n::text), null, ` +
  `'2021-10-20', jsonb_set(jsonb_set(t.event, '{bookingUid}', to_jsonb('u' || s.n)), '{submissionToken}', ` +
  `to_jsonb(${submission} || '.t.sig')), 'valid', ${submission}, '${CONTEXT}') ` +
  `from (select nextval('bench_seq') as n) s, bench_template t;`;
/** Each kind of delivery replayed, with the outcome every one of them must have. */
const KINDS = [
  {
    kind: "applied (a lead's first booking)",
    outcome: "applied",
    statement: deliveryStatement(`'key:' || s.n`, `'bench-' || s.n`),
  },
  {
    kind: "queued (a token naming no lead)",
    outcome: "queued",
    statement: deliveryStatement(`'key:' || s.n`, `'none-' || s.n`),
  },
  {
    kind: "exact repeat of a stored delivery",
    outcome: "duplicate",
    statement: deliveryStatement(`'key:' || (s.n % ${WARMUP} + 1)`, `'bench-' || s.n`),
  },
];

function template() {
  const body = makeBookingCreated({ uid: "TEMPLATEUID", submissionToken: "TEMPLATE" });
  const parsed = parseCalBody(body);
  if (parsed.kind !== "event") throw new Error("the template body did not parse as an event");
  return { raw: JSON.stringify(body), event: parsed.event, uid: "TEMPLATEUID" };
}

async function prepareCluster(dir: string): Promise<void> {
  must(run(path.join(PG_BIN, "initdb"), ["-D", dir, "-A", "trust", "-U", "postgres", "--no-sync"]), "initdb");
  const pgCtl = path.join(PG_BIN, "pg_ctl");
  must(
    run(pgCtl, [
      "-D",
      dir,
      "-w",
      "-l",
      path.join(dir, "log"),
      "-o",
      `-p ${PORT} -k ${dir} -c listen_addresses=127.0.0.1`,
      "start",
    ]),
    "starting PostgreSQL",
  );
  try {
    const url = `postgres://postgres@127.0.0.1:${PORT}`;
    const admin = postgres(`${url}/postgres`, { onnotice: () => {} });
    await admin.unsafe(`create database ${DB}`);
    await admin.end();
    const { DATABASE_MIGRATION_URL: _owner, ...env } = process.env;
    execFileSync("npx", ["tsx", "scripts/db-migrate.ts"], {
      env: { ...env, DATABASE_URL: `${url}/${DB}` },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const sql = postgres(`${url}/${DB}`, { onnotice: () => {}, max: 1 });
    const t = template();
    await sql`insert into public.leads (submission_id, name, email)
      select 'bench-' || i, 'Lead ' || i, 'lead' || i || '@client.example' from generate_series(1, ${LEADS}) i`;
    await sql`create table bench_template as select ${t.raw}::text as raw, ${JSON.stringify(t.event)}::text::jsonb as event, ${t.uid}::text as uid`;
    await sql`create sequence bench_seq`;
    for (let i = 0; i < WARMUP; i++) await sql.unsafe(KINDS[0].statement);
    await sql.end();
  } finally {
    must(run(pgCtl, ["-D", dir, "-w", "stop"]), "stopping PostgreSQL");
  }
}

/**
 * Instructions callgrind counts for a single-user backend that replays `count` deliveries of one kind and exits;
 * throws unless every one of them had the kind's outcome.
 */
function instructions(cluster: string, replay: (typeof KINDS)[number], count: number): number {
  const copy = `${cluster}-copy`;
  rmSync(copy, { recursive: true, force: true });
  cpSync(cluster, copy, { recursive: true });
  if (asRoot) execFileSync("chown", ["-R", "postgres:", copy]);
  chmodSync(copy, 0o700);
  const backend = [path.join(PG_BIN, "postgres"), "--single", "-D", copy, "-c", "synchronous_commit=off", DB];
  const result = run(
    "valgrind",
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", ...backend],
    `${replay.statement}\n`.repeat(count),
  );
  rmSync(copy, { recursive: true, force: true });
  const outcomes = [...result.stdout.matchAll(/\\?"outcome\\?": \\?"(\w+)/g)].map((match) => match[1]);
  const wrong = outcomes.filter((outcome) => outcome !== replay.outcome);
  if (outcomes.length !== count || wrong.length > 0) {
    const errors = `${result.stderr}\n${result.stdout}`.split("\n").filter((line) => /ERROR/.test(line));
    throw new Error(
      `${replay.kind}: ${count} replayed, ${outcomes.length} answered, ${wrong.length} not ${replay.outcome}` +
        (errors.length > 0 ? `\n${errors.slice(0, 5).join("\n")}` : ""),
    );
  }
  const collected = /Collected : (\d+)/.exec(result.stderr);
  if (!collected) throw new Error(`callgrind printed no count:\n${result.stderr.slice(-2000)}`);
  return Number(collected[1]);
}

async function main() {
  for (const tool of ["valgrind", path.join(PG_BIN, "postgres")])
    if (spawnSync(tool, ["--version"]).status !== 0)
      throw new Error(`${tool} is needed (PG_BIN names the server's binaries)`);
  const root = mkdtempSync(path.join(tmpdir(), "pg-instructions-"));
  chmodSync(root, 0o755);
  const cluster = path.join(root, "cluster");
  if (asRoot) execFileSync("chown", ["postgres:", root]);
  try {
    await prepareCluster(cluster);
    console.log(
      `PostgreSQL instructions per delivery (callgrind; one backend; ${MANY} minus ${FEW} deliveries, over ${MANY - FEW}):`,
    );
    for (const replay of KINDS) {
      const perDelivery =
        (instructions(cluster, replay, MANY) - instructions(cluster, replay, FEW)) / (MANY - FEW);
      console.log(
        `  ${replay.kind.padEnd(36)} ${Math.round(perDelivery).toLocaleString("en-US").padStart(11)}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
