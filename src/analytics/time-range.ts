const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `7d`, `24h`, `30m`, `2w` → milliseconds; an ISO date → that instant; undefined otherwise. */
export function parseSince(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const relative = /^(\d+)\s*([mhdw])$/i.exec(value.trim());
  if (relative) return now - Number(relative[1]) * UNITS[relative[2]!.toLowerCase()]!;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}
