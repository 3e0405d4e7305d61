import type { Redis } from 'ioredis';

export interface DumpedKey {
  readonly key: string;
  readonly type: string;
  /** Milliseconds to live; -1 = no expiry. */
  readonly ttlMs: number;
  /** The key name and every value it holds, as one searchable string. */
  readonly text: string;
}

/** Every key of a (private, test-only) Redis with its values and TTL: for "is it stored anywhere?" checks. */
export async function dumpRedis(redis: Redis): Promise<DumpedKey[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const dumped: DumpedKey[] = [];
  for (const key of keys.sort()) {
    const type = await redis.type(key);
    let values: unknown;
    if (type === 'string') values = await redis.get(key);
    else if (type === 'hash') values = await redis.hgetall(key);
    else if (type === 'list') values = await redis.lrange(key, 0, -1);
    else if (type === 'set') values = await redis.smembers(key);
    else if (type === 'zset') values = await redis.zrange(key, '0', '-1', 'WITHSCORES');
    else if (type === 'stream') values = await redis.xrange(key, '-', '+');
    else if (type === 'none') continue;
    else values = `(${type})`;
    dumped.push({ key, type, ttlMs: await redis.pttl(key), text: `${key} ${JSON.stringify(values)}` });
  }
  return dumped;
}

/** The dumped keys whose name or values contain any of `needles` (as written, or with spaces, dashes and brackets removed). */
export function keysMentioning(dump: readonly DumpedKey[], needles: readonly string[]): { key: string; needle: string }[] {
  const found: { key: string; needle: string }[] = [];
  for (const entry of dump) {
    for (const needle of needles) {
      const squeezed = needle.replace(/[\s\-()]/g, '');
      if (entry.text.includes(needle) || entry.text.includes(squeezed)) found.push({ key: entry.key, needle });
    }
  }
  return found;
}
