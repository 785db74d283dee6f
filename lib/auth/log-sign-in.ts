import { logger } from "../log/logger";
import { type LoginAttempt, accountHash } from "./login-lockout";

/** One line per sign-in attempt: the account by its hash (never the email), the client, and how it ended. */
export function logSignIn(
  outcome: "signed_in" | "invalid" | "locked" | "no_access",
  attempt: LoginAttempt,
  requestId: string,
): void {
  const fields = {
    event: "auth.sign_in",
    outcome,
    account: accountHash(attempt.email),
    client: attempt.client,
    requestId,
  };
  if (outcome === "signed_in") logger().info(fields, "signed in");
  else if (outcome === "locked") logger().warn(fields, "sign-in refused: too many failed attempts");
  else logger().warn(fields, "sign-in failed");
}
