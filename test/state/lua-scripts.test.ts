import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../src/project-root.js';
import { scriptCommandName } from '../../src/state/lua-script.js';

const root = projectRoot();
/** Every .lua file of the sources (read from disk, not git: CI also runs the suite in a plain copy). */
const scripts = ['src', 'adapters', 'dialogs']
  .flatMap((folder) => readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' }).map((path) => join(folder, path)))
  .filter((path) => path.endsWith('.lua'))
  .sort();
/** Commands whose first argument is not a key (PUBLISH names a channel, which a cluster broadcasts). */
const KEYLESS = new Set(['PUBLISH']);

/** Redis scripts are kept the BullMQ way: src/state/lua-script.ts loads them, Redis Cluster routes them. */
describe('Redis scripts (.lua files)', () => {
  it('are found', () => {
    expect(scripts.length).to.be.greaterThan(5);
  });

  for (const path of scripts) {
    describe(path, () => {
      const text = readFileSync(join(root, path), 'utf8');

      it('opens with a header that documents every KEYS and ARGV entry it uses', () => {
        const header = /^--\[\[([\s\S]*?)\]\]/.exec(text)?.[1];
        expect(header, 'a --[[ ... ]] header').to.be.a('string');
        const body = text.slice(text.indexOf(']]') + 2);
        for (const [, kind, index] of body.matchAll(/\b(KEYS|ARGV)\[(\d+)\]/g)) {
          expect(header, `${kind}[${index}]`).to.match(new RegExp(`${kind}\\[${index}(\\]|\\.\\.)`));
        }
        expect(header).to.match(/Returns/);
      });

      it('touches only keys passed in KEYS (never a key built from ARGV or a string)', () => {
        for (const [call, command, firstArgument] of text.matchAll(/redis\.call\(\s*'(\w+)'\s*,\s*([^,)]+)/g)) {
          if (KEYLESS.has(command!.toUpperCase())) continue;
          expect(firstArgument!.trim(), call).to.match(/^KEYS\[/);
        }
      });

      it('is copied into the Docker image (npm start reads it from the source tree)', () => {
        const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
        expect(dockerfile).to.include(`COPY ${dirname(path)}/*.lua ./${dirname(path)}/`);
      });
    });
  }

  it('become commands with distinct names', () => {
    const names = scripts.map(scriptCommandName);
    expect(new Set(names).size).to.equal(names.length);
  });
});
