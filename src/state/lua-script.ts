import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { projectRoot } from '../project-root.js';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './create-redis.js';

/**
 * The text of a Redis script kept as a `.lua` file in the source tree (`path` from the project
 * root). Read from there, not beside the calling module: the compiled modules in dist/ have no
 * `.lua` files next to them, so `new URL('./x.lua', import.meta.url)` breaks `npm start`.
 */
export function luaScript(path: string): string {
  return readFileSync(join(projectRoot(), path), 'utf8');
}

type ScriptArgument = string | number;

/** A script with its keys (all in KEYS, so Redis Cluster can route it) and its arguments. */
export interface RedisScript<Reply> {
  run(keys: readonly string[], args: readonly ScriptArgument[]): Promise<Reply>;
  /** Queues a call on a pipeline or MULTI of the same client; its reply comes with the others'. */
  addTo(pipeline: ChainableCommander, keys: readonly string[], args: readonly ScriptArgument[]): void;
}

type ScriptCommand = (numberOfKeys: number, ...keysAndArgs: ScriptArgument[]) => unknown;

/**
 * Loads the `.lua` file at `path` (from the project root) as a command of `redis` named after
 * the file, the way BullMQ keeps its scripts: ioredis sends EVALSHA and falls back to EVAL only
 * when the server does not know the script yet. The key count is given per call, so one script
 * can take a variable number of keys. `Reply` is what the file's header documents.
 */
export function defineScript<Reply>(redis: RedisClient, path: string): RedisScript<Reply> {
  const name = scriptCommandName(path);
  redis.defineCommand(name, { lua: luaScript(path) });
  const commandOf = (target: object) => (target as Record<string, ScriptCommand>)[name]!.bind(target);
  return {
    run: async (keys, args) => (await commandOf(redis)(keys.length, ...keys, ...args)) as Reply,
    addTo: (pipeline, keys, args) => void commandOf(pipeline)(keys.length, ...keys, ...args),
  };
}

/** The command a script file becomes, e.g. `src/state/scripts/write-if-match.lua` → `carebotWriteIfMatch`. */
export function scriptCommandName(path: string): string {
  const words = basename(path, '.lua').split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `carebot${words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')}`;
}
