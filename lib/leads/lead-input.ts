import { z } from "zod";
import { CONTROL_CHARACTER_MESSAGE, MULTI_LINE, SINGLE_LINE } from "../http/plain-text";

/** One schema for the intake form, POST /api/leads and the server action. */
const optionalField = (max: number, lines = SINGLE_LINE) =>
  z
    .string()
    .trim()
    .max(max, `Must be at most ${max} characters`)
    .regex(lines, CONTROL_CHARACTER_MESSAGE)
    .transform((value) => (value === "" ? undefined : value))
    .optional();

export const leadInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter your name")
    .max(200, "Must be at most 200 characters")
    .regex(SINGLE_LINE, CONTROL_CHARACTER_MESSAGE),
  email: z
    .string()
    .trim()
    .max(320, "Must be at most 320 characters")
    .pipe(z.email("Enter a valid email address"))
    .transform((value) => value.toLowerCase()),
  phone: optionalField(40),
  company: optionalField(200),
  message: optionalField(5000, MULTI_LINE),
});

export type LeadInput = z.infer<typeof leadInputSchema>;
