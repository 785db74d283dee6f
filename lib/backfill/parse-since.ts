/** `--since` as a duration back from now (`72h`, `3d`, `90m`) or an ISO time; null when it is neither. */
export function parseSince(text: string, now = new Date()): Date | null {
  const duration = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text.trim());
  if (duration) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as "m" | "h" | "d"];
    return new Date(now.getTime() - Number(duration[1]) * unit);
  }
  const time = Date.parse(text);
  return /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(time) ? new Date(time) : null;
}
