/** Display helpers shared by the console's tables; dates are shown in UTC so every viewer reads the same time. */
export function formatTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function humanize(value: string | null | undefined): string {
  return value ? value.replaceAll("_", " ").toLowerCase() : "—";
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.join(", ");
  return String(value);
}
