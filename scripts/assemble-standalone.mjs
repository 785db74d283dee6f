/**
 * After `next build`: makes .next/standalone a complete app folder for a container or any Node host, as the
 * Dockerfile ships it: the static files Next leaves out of it, `server.mjs` (the client's address and request
 * deadlines, which `node server.js` lacks), the migrations, and `db:migrate` and `admin:user` bundled into
 * plain JavaScript (no TypeScript tooling in the image). Usage: node scripts/assemble-standalone.mjs
 */
import { cp, rm } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const root = path.join(import.meta.dirname, "..");
const out = path.join(root, ".next", "standalone");

await cp(path.join(root, ".next", "static"), path.join(out, ".next", "static"), { recursive: true });
await cp(path.join(root, "server.mjs"), path.join(out, "server.mjs"));
await rm(path.join(out, "supabase"), { recursive: true, force: true });
await cp(path.join(root, "supabase", "migrations"), path.join(out, "supabase", "migrations"), {
  recursive: true,
});
await build({
  entryPoints: ["db-migrate", "admin-user"].map((name) => path.join(root, "scripts", `${name}.ts`)),
  outdir: path.join(out, "scripts"),
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // PGlite loads its WebAssembly from its own package folder, which the standalone output already has.
  external: ["@electric-sql/pglite", "@electric-sql/pglite/*"],
  alias: { "@": root },
  logLevel: "warning",
});
console.log(
  `Assembled ${path.relative(root, out)}: node server.mjs, node scripts/db-migrate.cjs, node scripts/admin-user.cjs`,
);
