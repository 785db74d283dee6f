"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDatabase } from "@/lib/db/client";
import { serverEnv, submissionTokenKeys } from "@/lib/env";
import { captureLead } from "@/lib/leads/capture-lead";
import { clientAddress } from "@/lib/http/client-address";

export interface IntakeState {
  message: string | null;
  /** Set on success when the browser runs scripts: it then loads /book as a new document. */
  bookingUrl?: string;
  fieldErrors: Record<string, string[] | undefined>;
  values: Record<string, string>;
}

const FIELDS = ["name", "email", "phone", "company", "message"] as const;

/** The intake form's action: validates on the server, writes the lead, sends the lead to /book. */
export async function submitLead(_previous: IntakeState, form: FormData): Promise<IntakeState> {
  const values = Object.fromEntries(FIELDS.map((field) => [field, String(form.get(field) ?? "")]));
  // Bots fill every field; people never see this one.
  if (String(form.get("website") ?? "") !== "") {
    return { message: "We could not accept this submission.", fieldErrors: {}, values };
  }
  const env = serverEnv();
  const submissionKeys = submissionTokenKeys(env);
  if (!submissionKeys) {
    return { message: "Booking is not configured yet. Please try again later.", fieldErrors: {}, values };
  }
  const result = await captureLead(await getDatabase(), values, {
    client: clientAddress(await headers(), env.TRUSTED_PROXY),
    submissionKeys,
    limitPer10Minutes: env.LEAD_RATE_LIMIT_PER_10_MINUTES,
  });
  if (result.kind === "invalid")
    return { message: "Please correct the fields below.", fieldErrors: result.fieldErrors, values };
  if (result.kind === "rate_limited") {
    return {
      message: "Too many requests from your network. Please wait a few minutes and try again.",
      fieldErrors: {},
      values,
    };
  }
  // /book has its own Content-Security-Policy, and a policy belongs to a document: a client-side
  // navigation would keep this page's policy and block the embed. Scripts get the URL and load it as a new
  // document; without scripts, the redirect below is a full page load anyway.
  if ((await headers()).has("next-action"))
    return { message: null, fieldErrors: {}, values, bookingUrl: result.lead.bookingUrl };
  redirect(result.lead.bookingUrl);
}
