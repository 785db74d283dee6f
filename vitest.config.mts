import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const shared = {
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside a React Server bundle; tests run server code directly.
      "server-only": path.join(root, "tests/support/server-only-stub.ts"),
    },
  },
};

/**
 * unit: pure functions. integration: the same files twice, on PGlite in-process and on the PostgreSQL
 * server (TEST_DATABASE_URL). http: `next start` (the production build) against the PostgreSQL server.
 */
export default defineConfig({
  test: {
    projects: [
      { ...shared, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        ...shared,
        test: {
          name: "integration:pglite",
          include: ["tests/integration/**/*.integration.test.ts"],
          env: { TEST_DB: "pglite" },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: "integration:postgres",
          include: ["tests/integration/**/*.integration.test.ts"],
          env: { TEST_DB: "postgres" },
          globalSetup: ["tests/support/postgres-template.global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: "http",
          include: ["tests/http/**/*.http.test.ts"],
          env: { TEST_DB: "postgres" },
          globalSetup: ["tests/support/postgres-template.global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
