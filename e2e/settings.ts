import { databaseUrl } from "../tests/support/postgres-template";

/** Shared by the Playwright config, the e2e server and the specs. Test-only values, never used elsewhere. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_DATABASE = "booking_handoff_e2e";
export const E2E_CAL_LINK = "dana/intro-call";
export const E2E_WEBHOOK_SECRET = "whsec_e2e_0123456789abcdef0123456789abcdef";

export const E2E_ENV = {
  DATABASE_URL: databaseUrl(E2E_DATABASE),
  CAL_WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
  SUBMISSION_TOKEN_SECRET: "submission-e2e-secret-0123456789abcdef0123456789",
  NEXT_PUBLIC_CAL_LINK: E2E_CAL_LINK,
  LEAD_RATE_LIMIT_PER_10_MINUTES: "1000",
  AUDIT_CHAIN_KEY: "audit-chain-e2e-key-0123456789abcdef0123456789",
};

/** Console accounts the e2e server creates; each test that fails sign-ins on purpose has its own. */
export const E2E_ACCOUNTS = {
  staff: { email: "sam.staff@team.example", password: "staff-password-for-e2e", role: "staff" },
  otherStaff: { email: "olga.staff@team.example", password: "other-staff-password-e2e", role: "staff" },
  manager: { email: "mia.manager@team.example", password: "manager-password-for-e2e", role: "manager" },
  lockout: { email: "lou.lockout@team.example", password: "lockout-password-for-e2e", role: "staff" },
} as const;
