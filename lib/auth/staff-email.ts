/**
 * The one form of a staff email, for the login, its lockout bucket, uniqueness and Supabase linking alike:
 * Unicode NFKC (full-width letters become ASCII), trimmed, ASCII letters in lower case. A staff address must be
 * printable ASCII in that form (an international domain in its xn-- spelling). The database holds the same
 * rule (`staff_users_email_normal_check`) and compares addresses only as stored, never through its own
 * `lower()`: JavaScript's and PostgreSQL's case folding differ beyond ASCII (İ, ı, ß), so two spellings that
 * one side folds together and the other does not would name one account with two lockout buckets.
 */
export function normalizeStaffEmail(input: string): string {
  return input
    .normalize("NFKC")
    .trim()
    .replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

const PRINTABLE_ASCII_ADDRESS = /^[!-~]+@[!-~]+$/;

/** Whether an address, in its one form, can name a staff account at all. */
export function isStaffEmail(input: string): boolean {
  return PRINTABLE_ASCII_ADDRESS.test(normalizeStaffEmail(input));
}

export class StaffEmailError extends Error {
  constructor(input: string) {
    super(
      `A staff email must be ASCII (write an international domain in its xn-- form), not ${JSON.stringify(input)}.`,
    );
  }
}

/** The stored form of an address for a new or updated account; refuses one that cannot be an account. */
export function staffEmailForAccount(input: string): string {
  if (!isStaffEmail(input)) throw new StaffEmailError(input);
  return normalizeStaffEmail(input);
}
