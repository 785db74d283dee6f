import { z } from "zod";
import { isCalendarDay } from "../http/search-params";

/** A keyset position (a row's sort time and id), opaque to the browser. Shared by every admin table. */
export interface KeysetCursor {
  value: string;
  id: string;
}

export function encodeCursor(position: KeysetCursor): string {
  return Buffer.from(JSON.stringify([position.value, position.id])).toString("base64url");
}

// A row's id is a uuid or a bigint; its time must be one PostgreSQL can read (no 31 February).
const rowId = z.union([z.uuid(), z.string().regex(/^\d{1,18}$/)]);
const rowTime = z.iso.datetime({ offset: true }).refine((value) => isCalendarDay(value.slice(0, 10)));
const cursorPayload = z.tuple([rowTime, rowId]);

export function decodeCursor(text: string | undefined): KeysetCursor | undefined {
  if (!text) return undefined;
  try {
    const parsed = cursorPayload.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? { value: parsed.data[0], id: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}
