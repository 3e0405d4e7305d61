import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CarebotError, ConfigError, ERROR_CODES, hasErrorCode } from '../src/errors.js';
import { projectRoot } from '../src/project-root.js';

describe('error codes', () => {
  it('README.md documents exactly the codes of the registry', () => {
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Errors'));
    const documented = [...section.matchAll(/^\|\s*`([A-Z_]+)`\s*\|/gm)].map((match) => match[1]);
    expect(documented.sort()).to.deep.equal(Object.keys(ERROR_CODES).sort());
  });

  it('carries the code and cause, and is recognised by code across boundaries', () => {
    const cause = new Error('root');
    const error = new ConfigError('bad', { cause });
    expect(error).to.be.instanceOf(CarebotError);
    expect(error.code).to.equal('CONFIG_INVALID');
    expect(error.cause).to.equal(cause);
    expect(hasErrorCode(JSON.parse(JSON.stringify({ code: error.code })), 'CONFIG_INVALID')).to.equal(true);
  });
});
