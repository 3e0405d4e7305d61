import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root.js';

/**
 * The text of a Redis script kept as a `.lua` file in the source tree (`path` from the project
 * root). Read from there, not beside the calling module: the compiled modules in dist/ have no
 * `.lua` files next to them, so `new URL('./x.lua', import.meta.url)` breaks `npm start`.
 */
export function luaScript(path: string): string {
  return readFileSync(join(projectRoot(), path), 'utf8');
}
