import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile, chmod } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * PgBouncer from Debian, run as our own process on 127.0.0.1, in front of the test PostgreSQL server: the
 * stand-in for Supabase's transaction pooler (Supavisor, port 6543) in `transaction` mode, and for its
 * session pooler in `session` mode. Every user the tests connect as passes (trust), as on the server behind.
 */
export interface RunningPgBouncer {
  /** `url` with its host and port replaced by the pooler's. */
  through(url: string): string;
  /** What PgBouncer logged so far (for a test's failure message). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

const PGBOUNCER = process.env.PGBOUNCER_PATH ?? "/usr/sbin/pgbouncer";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => Promise<string>): Promise<void> {
  const { connect } = await import("node:net");
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}):\n${await log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`pgbouncer did not listen on ${port}:\n${await log()}`);
}

export async function startPgBouncer(options: {
  mode: "transaction" | "session";
  /** The server behind it, as a URL (only its host and port are used). */
  server: string;
  users: string[];
  poolSize?: number;
}): Promise<RunningPgBouncer> {
  const dir = await mkdtemp(path.join(tmpdir(), "pgbouncer-"));
  const port = await freePort();
  const server = new URL(options.server);
  const logFile = path.join(dir, "pgbouncer.log");
  await writeFile(path.join(dir, "users.txt"), options.users.map((user) => `"${user}" ""`).join("\n") + "\n");
  await writeFile(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      `pool_mode = ${options.mode}`,
      `default_pool_size = ${options.poolSize ?? 10}`,
      "max_client_conn = 500",
      "ignore_startup_parameters = extra_float_digits,options,application_name",
      // After the server was unreachable, try it again within a second (the default waits 15 s).
      "server_login_retry = 1",
      `logfile = ${logFile}`,
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  // PgBouncer refuses to run as root; as root it is started as the postgres user, which must read its files.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    await chmod(dir, 0o777);
    for (const file of ["users.txt", "pgbouncer.ini"]) await chmod(path.join(dir, file), 0o644);
  }
  const child = spawn(PGBOUNCER, [...(asRoot ? ["-u", "postgres"] : []), path.join(dir, "pgbouncer.ini")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const log = async () => stderr + (await readFile(logFile, "utf8").catch(() => ""));
  await waitForPort(port, child, log);
  return {
    through: (url) => {
      const pooled = new URL(url);
      pooled.hostname = "127.0.0.1";
      pooled.port = String(port);
      return pooled.toString();
    },
    log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `TEST_POOLER=transaction|session` puts PgBouncer between the app under test and its database in the HTTP
 * suites that honour it (`.ci/run` runs the webhook and lead suites so): the app's URL, through the pooler when
 * one is asked for. `server` is where the pooler connects (the database, or a relay in front of it).
 */
export async function pooledForTests(
  appUrl: string,
  server: string = appUrl,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const mode = process.env.TEST_POOLER;
  if (mode !== "transaction" && mode !== "session") return { url: appUrl, stop: async () => {} };
  const bouncer = await startPgBouncer({ mode, server, users: [new URL(appUrl).username] });
  const pooled = new URL(bouncer.through(appUrl));
  return { url: pooled.toString(), stop: () => bouncer.stop() };
}
