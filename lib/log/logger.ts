import pino, { type Logger } from "pino";

/**
 * One JSON line per event on stdout: `time` (ISO), `level` (a name), `msg`, and the event's own fields.
 * Callers pass ids, counts, outcomes and causes, never bodies, emails, tokens or secrets; the redaction below
 * is a second guard for a field added carelessly, not the rule.
 */
const REDACTED_FIELDS = [
  "email",
  "*.email",
  "password",
  "*.password",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "body",
  "*.body",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  "headers",
  "*.headers",
];

let instance: Logger | undefined;

/** The process's logger; LOG_LEVEL (validated with the rest of the environment) sets its level. */
export function logger(): Logger {
  instance ??= pino({
    level: process.env.LOG_LEVEL?.trim() || "info",
    base: { service: "booking-handoff" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_FIELDS, censor: "[redacted]" },
  });
  return instance;
}

// A driver's message can quote the value it choked on; an address in it must not reach the log.
const withoutEmails = (text: string) => text.replace(/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g, "[email]");

/** What a thrown value says about its cause, without its data: the class, a code and the message. */
export function causeOf(error: unknown): { name: string; code?: string; message: string } {
  if (!(error instanceof Error))
    return { name: typeof error, message: withoutEmails(String(error).slice(0, 200)) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === "string" ? { code } : {}),
    message: withoutEmails(error.message.slice(0, 300)),
  };
}
