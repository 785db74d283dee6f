/**
 * What one delivery costs PostgreSQL, counted in instructions rather than timed: on a shared two-core machine
 * events/s and CPU milliseconds move by 20% between runs of the same code, callgrind's counts by a few parts per
 * million. A scratch PostgreSQL cluster gets the migrations, leads and warm-up deliveries over TCP, then stops;
 * `postgres --single` replays deliveries on a copy of it under `valgrind --tool=callgrind`, once with 50 and once
 * with 350, and the difference over 300 is one delivery's count, setup and shutdown cancelled out.
 *
 * Where `../shared/bench-peer` is beside the project (BENCH_PEER_DIR), its minimal route's one statement is counted
 * the same way, on its own schema and the same body, prepared as postgres.js prepares it: the reference #13's
 * ratio is measured against, in instructions instead of events per second.
 *
 *   npm run bench:pg-instructions          (PG_BIN: the server's binaries, default /usr/lib/postgresql/15/bin)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { parseCalBody } from "../lib/cal/parse-cal-body";
import { makeBookingCreated } from "../lib/cal/payload-factories";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const PORT = Number(process.env.BENCH_PG_PORT ?? 5499);
const DB = "bench";
const PEER_DB = "peer";
const PEER_DIR = path.resolve(process.env.BENCH_PEER_DIR ?? "../shared/bench-peer");
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
interface Replay {
  kind: string;
  /** What every replayed delivery must answer. */
  outcome: string;
  database: string;
  /** Run once before the replayed statements, in both counts, so it cancels out. */
  preamble?: string;
  statement: string;
}

/** Each kind of delivery replayed, with the outcome every one of them must have. */
const KINDS: Replay[] = [
  {
    kind: "applied (a lead's first booking)",
    outcome: "applied",
    database: DB,
    statement: deliveryStatement(`'key:' || s.n`, `'bench-' || s.n`),
  },
  {
    kind: "queued (a token naming no lead)",
    outcome: "queued",
    database: DB,
    statement: deliveryStatement(`'key:' || s.n`, `'none-' || s.n`),
  },
  {
    kind: "exact repeat of a stored delivery",
    outcome: "duplicate",
    database: DB,
    statement: deliveryStatement(`'key:' || (s.n % ${WARMUP} + 1)`, `'bench-' || s.n`),
  },
];

function template() {
  const body = makeBookingCreated({ uid: "TEMPLATEUID", submissionToken: "TEMPLATE" });
  const parsed = parseCalBody(body);
  if (parsed.kind !== "event") throw new Error("the template body did not parse as an event");
  return { raw: JSON.stringify(body), event: parsed.event, uid: "TEMPLATEUID" };
}

interface PeerReference {
  schema: string[];
  replay: Replay;
}

/** bench-peer's schema and its minimal route's delivery, when that folder is beside the project. */
async function peerReference(): Promise<PeerReference | null> {
  const schemaFile = path.join(PEER_DIR, "schema.sql");
  const statementFile = path.join(PEER_DIR, "reconcile-sql.mjs");
  if (!existsSync(schemaFile) || !existsSync(statementFile)) return null;
  const { RECONCILE_SQL } = (await import(pathToFileURL(statementFile).href)) as { RECONCILE_SQL: string };
  const schema = readFileSync(schemaFile, "utf8")
    .split(/;\s*$/m)
    .filter((statement) => statement.replace(/--.*$/gm, "").trim() !== "");
  return { schema, replay: peerReplay(RECONCILE_SQL.split(/\s+/).join(" ")) };
}

/** The minimal route's delivery to a lead: its statement prepared once, executed with the template body. */
function peerReplay(statement: string): Replay {
  const t = template();
  return {
    kind: "bench-peer's minimal route (to a lead)",
    outcome: "applied",
    database: PEER_DB,
    preamble: `set bench.raw = $raw$${t.raw}$raw$;\nprepare reconcile(text, text, text, text, text) as ${statement};\n`,
    statement:
      `execute reconcile('key:' || nextval('bench_seq'), replace(current_setting('bench.raw'), '${t.uid}', ` +
      `'u' || currval('bench_seq')), 'sub_' || currval('bench_seq'), 'u' || currval('bench_seq'), ` +
      `'2026-12-10T10:00:00Z');`,
  };
}

async function prepareCluster(dir: string, peer: PeerReference | null): Promise<void> {
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
    if (peer) await preparePeer(url, peer);
  } finally {
    must(run(pgCtl, ["-D", dir, "-w", "stop"]), "stopping PostgreSQL");
  }
}

/** bench-peer's own database (its schema seeds the leads), warmed like the product's. */
async function preparePeer(url: string, peer: PeerReference) {
  const admin = postgres(`${url}/postgres`, { onnotice: () => {} });
  await admin.unsafe(`create database ${PEER_DB}`);
  await admin.end();
  const sql = postgres(`${url}/${PEER_DB}`, { onnotice: () => {}, max: 1 });
  for (const statement of peer.schema) await sql.unsafe(statement);
  await sql`create sequence bench_seq`;
  await sql.unsafe(peer.replay.preamble ?? "");
  for (let i = 0; i < WARMUP; i++) await sql.unsafe(peer.replay.statement);
  await sql.end();
}

/**
 * Instructions callgrind counts for a single-user backend that replays `count` deliveries of one kind and exits;
 * throws unless every one of them had the kind's outcome.
 */
function instructions(cluster: string, replay: Replay, count: number): number {
  const copy = `${cluster}-copy`;
  rmSync(copy, { recursive: true, force: true });
  cpSync(cluster, copy, { recursive: true });
  if (asRoot) execFileSync("chown", ["-R", "postgres:", copy]);
  chmodSync(copy, 0o700);
  const backend = [
    path.join(PG_BIN, "postgres"),
    "--single",
    "-D",
    copy,
    "-c",
    "synchronous_commit=off",
    replay.database,
  ];
  const result = run(
    "valgrind",
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", ...backend],
    (replay.preamble ?? "") + `${replay.statement}\n`.repeat(count),
  );
  rmSync(copy, { recursive: true, force: true });
  // The product answers jsonb ({"outcome": "applied", ...}); bench-peer's statement a column, status = "applied".
  const outcomes = [...result.stdout.matchAll(/(?:\\?"outcome\\?": \\?"|\bstatus = ")(\w+)/g)].map(
    (match) => match[1],
  );
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
    const peer = await peerReference();
    await prepareCluster(cluster, peer);
    console.log(
      `PostgreSQL instructions per delivery (callgrind; one backend; ${MANY} minus ${FEW} deliveries, over ${MANY - FEW}):`,
    );
    const reference = peer?.replay;
    const counted = new Map<Replay, number>();
    for (const replay of reference ? [...KINDS, reference] : KINDS) {
      const perDelivery =
        (instructions(cluster, replay, MANY) - instructions(cluster, replay, FEW)) / (MANY - FEW);
      counted.set(replay, perDelivery);
      console.log(
        `  ${replay.kind.padEnd(40)} ${Math.round(perDelivery).toLocaleString("en-US").padStart(11)}`,
      );
    }
    if (reference) {
      const ratio = (counted.get(KINDS[0]) ?? 0) / (counted.get(reference) ?? 1);
      console.log(`applied / bench-peer's minimal statement: ${ratio.toFixed(2)}`);
    } else console.log(`(no bench-peer at ${PEER_DIR}: BENCH_PEER_DIR names it, to count its statement too)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
