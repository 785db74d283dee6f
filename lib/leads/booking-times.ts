/** A booking's time as the lead reads it: in their own time zone (the one they picked on Cal.com), named. */
function validZone(zone: string | null): string {
  if (!zone) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

export function formatBookingTime(start: string | null, end: string | null, zone: string | null): string {
  if (!start) return "Time to be confirmed";
  const timeZone = validZone(zone);
  const day = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
  const clock = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" });
  const startDate = new Date(start);
  const range = end ? `${clock.format(startDate)}–${clock.format(new Date(end))}` : clock.format(startDate);
  return `${day.format(startDate)}, ${range} (${timeZone.replaceAll("_", " ")})`;
}
