import { startPgBouncer } from "./tests/support/pgbouncer.ts";
import { startNextServer } from "./tests/support/next-server.ts";
import { APP_LOGIN, OWNER_LOGIN, createDatabaseFromTemplate } from "./tests/support/postgres-template.ts";
const created = await createDatabaseFromTemplate();
const b = await startPgBouncer({ mode: "transaction", server: created.url, users: [APP_LOGIN, OWNER_LOGIN], poolSize: 4 });
const server = await startNextServer({ DATABASE_URL: b.through(created.url), CAL_WEBHOOK_SECRET: "whsec_test_0123456789abcdef0123456789abcdef", SUBMISSION_TOKEN_SECRET: "submission-test-secret-0123456789abcdef0123456789", NEXT_PUBLIC_CAL_LINK: "a/b", LEAD_RATE_LIMIT_PER_10_MINUTES: "100000" });
try {
  const rs = await Promise.all(Array.from({length: 40}, (_, n) => fetch(`${server.url}/api/leads`, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({name: "P"+n, email: `p${n}@x.example`})}).then(r => r.status)));
  console.log(rs.join(","));
  console.log(server.output().slice(-3000));
} finally { await server.stop(); await b.stop(); await created.drop(); }
