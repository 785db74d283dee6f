/**
 * Plays Cal.com against a running app: sends correctly signed, realistic webhook events, so the whole handoff
 * can be watched without a Cal.com account.
 *
 *   npm run cal:simulate -- lead --name "Priya Shah" --email priya@client.example
 *   npm run cal:simulate -- BOOKING_CREATED --submission <token> [--uid <uid>]
 *   npm run cal:simulate -- BOOKING_RESCHEDULED --uid <new uid> --reschedule-uid <old uid> [--submission <token>]
 *   npm run cal:simulate -- BOOKING_CANCELLED --uid <uid> [--request-reschedule]
 *   npm run cal:simulate -- BOOKING_NO_SHOW_UPDATED --uid <uid> [--present]
 *   npm run cal:simulate -- BOOKING_PAYMENT_INITIATED --submission <token>      (a paid event type: ties the booking)
 *   npm run cal:simulate -- BOOKING_PAID --uid <uid>                            (then BOOKING_CREATED --uid <uid>)
 *   npm run cal:simulate -- MEETING_ENDED | BOOKING_REQUESTED | BOOKING_REJECTED --uid <uid> | PING
 *   npm run cal:simulate -- resend                   (the last delivery again, byte for byte: Cal.com's retry)
 *
 * Options: --url (default http://localhost:$PORT or :3000), --secret (default: the first CAL_WEBHOOK_SECRET).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadEnvConfig } from "@next/env";
import {
  type BodyOptions,
  type CalBody,
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingPaid,
  makeBookingRejected,
  makeBookingRequested,
  makeBookingRescheduled,
  makeMeetingEnded,
  makeNoShowUpdated,
  makePaymentInitiated,
  makePing,
  newBookingUid,
} from "../lib/cal/payload-factories";
import { signCalBody } from "../lib/cal/signature";
import { parseServerEnv } from "../lib/env";

loadEnvConfig(process.cwd());

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    submission: { type: "string" },
    uid: { type: "string" },
    "reschedule-uid": { type: "string" },
    "request-reschedule": { type: "boolean", default: false },
    "legacy-request-reschedule": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
    present: { type: "boolean", default: false },
    name: { type: "string", default: "Priya Shah" },
    email: { type: "string", default: "priya@client.example" },
    url: { type: "string", default: `http://localhost:${process.env.PORT ?? 3000}` },
    secret: { type: "string" },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function post(path: string, body: string, headers: Record<string, string>) {
  try {
    const response = await fetch(new URL(path, values.url), {
      method: "POST",
      body,
      headers,
      redirect: "manual",
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return fail(
      `Could not reach ${values.url}: ${(error as Error).message}. Is the app running (npm start)?`,
    );
  }
}

async function createLead() {
  const { status, text } = await post(
    "/api/leads",
    JSON.stringify({ name: values.name, email: values.email }),
    {
      "content-type": "application/json",
    },
  );
  console.log(`POST /api/leads → ${status} ${text}`);
  if (status === 201) {
    const { submissionId } = JSON.parse(text) as { submissionId: string };
    console.log(`\nNext: npm run cal:simulate -- BOOKING_CREATED --submission '${submissionId}'`);
  }
}

function bodyFor(trigger: string): CalBody {
  const uid = values.uid ?? newBookingUid();
  const options: BodyOptions & { uid: string } = {
    uid,
    submissionToken: values.submission ?? null,
    attendee: { name: values.name, email: values.email },
    requestReschedule: values["request-reschedule"],
    legacyRequestReschedule: values["legacy-request-reschedule"],
    noShow: !values.present,
  };
  const needsUid = () => values.uid ?? fail(`${trigger} needs --uid <the booking's uid>`);
  switch (trigger) {
    case "BOOKING_CREATED":
      return makeBookingCreated(options);
    case "BOOKING_REQUESTED":
      return makeBookingRequested(options);
    case "BOOKING_PAYMENT_INITIATED":
      return makePaymentInitiated(options);
    case "BOOKING_PAID":
      return makeBookingPaid({ ...options, uid: needsUid() });
    case "BOOKING_RESCHEDULED":
      return makeBookingRescheduled({
        ...options,
        rescheduleUid:
          values["reschedule-uid"] ?? fail("BOOKING_RESCHEDULED needs --reschedule-uid <old uid>"),
      });
    case "BOOKING_CANCELLED":
      return makeBookingCancelled({ ...options, uid: needsUid() });
    case "BOOKING_REJECTED":
      return makeBookingRejected({ ...options, uid: needsUid() });
    case "BOOKING_NO_SHOW_UPDATED":
      return makeNoShowUpdated({ ...options, uid: needsUid() });
    case "MEETING_ENDED":
      return makeMeetingEnded({ ...options, uid: needsUid() });
    case "PING":
      return makePing();
    default:
      return fail(`Unknown trigger ${trigger}. See the usage at the top of scripts/cal-simulate.ts.`);
  }
}

/** The last delivery sent, exactly as sent, so `resend` can repeat it the way Cal.com's retry would. */
const LAST_DELIVERY = path.join(process.cwd(), ".data", "cal-simulate-last-delivery.json");

interface Delivery {
  trigger: string;
  body: string;
  signature: string;
}

async function deliver({ trigger, body, signature }: Delivery) {
  const { status, text } = await post("/api/webhooks/cal", body, {
    "content-type": "application/json",
    "x-cal-signature-256": signature,
    "x-cal-webhook-version": "2021-10-20",
  });
  const uid = JSON.parse(body) as { uid?: string; payload?: { uid?: string; bookingUid?: string } };
  console.log(
    `${trigger} for booking ${uid.payload?.uid ?? uid.payload?.bookingUid ?? uid.uid ?? "-"} → ${status} ${text}`,
  );
}

async function sendEvent(trigger: string) {
  const secret = values.secret ?? parseServerEnv().CAL_WEBHOOK_SECRET[0];
  if (!secret) fail("No CAL_WEBHOOK_SECRET: run `npm run setup`, or pass --secret.");
  const body = JSON.stringify(bodyFor(trigger));
  const delivery = { trigger, body, signature: signCalBody(body, secret) };
  mkdirSync(path.dirname(LAST_DELIVERY), { recursive: true });
  writeFileSync(LAST_DELIVERY, JSON.stringify(delivery));
  await deliver(delivery);
}

async function resendLast() {
  let delivery: Delivery;
  try {
    delivery = JSON.parse(readFileSync(LAST_DELIVERY, "utf8")) as Delivery;
  } catch {
    return fail("Nothing to resend yet: send an event first (for example BOOKING_CREATED).");
  }
  await deliver(delivery);
}

const USAGE = `Usage: npm run cal:simulate -- <lead | TRIGGER> [options]

  lead [--name N] [--email E]                        create a lead; prints its token
  BOOKING_CREATED | BOOKING_REQUESTED | BOOKING_PAYMENT_INITIATED --submission <token> [--uid <uid>]
                                                     a booking made through /book (the token ties it)
  BOOKING_CREATED | BOOKING_PAID --uid <uid>         after a confirmation or a payment: no token, the uid ties it
  BOOKING_RESCHEDULED --uid <new> --reschedule-uid <old>
  BOOKING_CANCELLED --uid <uid> [--request-reschedule | --legacy-request-reschedule]
  BOOKING_REJECTED | MEETING_ENDED --uid <uid>
  BOOKING_NO_SHOW_UPDATED --uid <uid> [--present]
  PING
  resend                                             the last delivery again, byte for byte (same body and
                                                     signature, as Cal.com retries): answered as a duplicate

  --url (default http://localhost:$PORT or :3000), --secret (default: the first CAL_WEBHOOK_SECRET)`;

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const command = positionals[0] ?? fail(USAGE);
void (command === "lead"
  ? createLead()
  : command === "resend"
    ? resendLast()
    : sendEvent(command.toUpperCase()));
