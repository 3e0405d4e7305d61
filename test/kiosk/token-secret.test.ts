import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { hasErrorCode } from '../../src/errors.js';
import { TokenIssuer } from '../../adapters/kiosk/tokens.js';

describe('kiosk token secret with Redis', () => {
  const base = { NODE_ENV: 'test', KIOSK_DEVICES_FILE: 'config/kiosk-devices.example.yaml', REDIS_URL: 'redis://127.0.0.1:6390' } as const;

  it('refuses to start kiosks on Redis without a shared KIOSK_TOKEN_SECRET, naming the variable', () => {
    let failure: unknown;
    try {
      loadConfig(base);
    } catch (error) {
      failure = error;
    }
    expect(hasErrorCode(failure, 'CONFIG_INVALID'), String(failure)).to.equal(true);
    expect(String((failure as Error).message)).to.match(/KIOSK_TOKEN_SECRET=\(unset\): required with REDIS_URL/);
  });

  it('starts with the secret set, and without Redis (one process) with or without it', () => {
    expect(loadConfig({ ...base, KIOSK_TOKEN_SECRET: 'x'.repeat(32) }).kiosk.tokenSecret).to.equal('x'.repeat(32));
    expect(loadConfig({ NODE_ENV: 'test', KIOSK_DEVICES_FILE: 'config/kiosk-devices.example.yaml' }).kiosk.tokenSecret).to.equal(undefined);
    expect(loadConfig({ NODE_ENV: 'test', REDIS_URL: 'redis://127.0.0.1:6390' }).redis?.connection).to.deep.equal({ url: 'redis://127.0.0.1:6390' });
  });

  it('lets every process holding the shared secret verify a token another issued', () => {
    const secret = 'shared-kiosk-token-secret-0123456789';
    const token = new TokenIssuer(secret, 60).issue({ dev: 'robot-1', conv: 'c1', user: 'u1' });
    expect(new TokenIssuer(secret, 60).verify(token)).to.deep.include({ ok: true });
    expect(new TokenIssuer(undefined, 60).verify(token)).to.deep.equal({ ok: false, reason: 'invalid' });
  });
});
