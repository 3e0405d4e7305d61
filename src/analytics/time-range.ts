import { CarebotError } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** The largest time a JavaScript Date can hold (±8.64e15 ms around 1970). */
const LATEST_MS = 8.64e15;

/** A `since`/`until` value carebot cannot use; HTTP routes answer it with 400 `REQUEST_INVALID`. */
export class TimeRangeError extends CarebotError {
  readonly status = 400;

  constructor(message: string) {
    super('REQUEST_INVALID', message);
  }
}

/**
 * `7d`, `24h`, `30m`, `2w` → that long before `now`; an ISO date → that instant; undefined
 * when absent. Anything else, or a time a Date cannot hold (`99999999999999999999d` once made
 * every dashboard query fail with a RangeError), throws TimeRangeError naming the value.
 */
export function parseSince(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const relative = /^(\d+)\s*([mhdw])$/i.exec(trimmed);
  const at = relative ? now - Number(relative[1]) * UNITS[relative[2]!.toLowerCase()]! : Date.parse(trimmed);
  if (Number.isNaN(at)) throw new TimeRangeError(`Unreadable time "${value.slice(0, 40)}": expected e.g. 7d, 24h, 30m, 2w or an ISO date`);
  if (!(at >= 0 && at <= LATEST_MS)) throw new TimeRangeError(`Time "${value.slice(0, 40)}" is out of range: expected a time after 1970`);
  return at;
}
