import { expect } from 'chai';
import { join } from 'node:path';
import { loadKioskDevices, parseKioskDevices } from '../../adapters/kiosk/devices.js';
import { projectRoot } from '../../src/project-root.js';

const device = (extra: Record<string, unknown>) => ({ devices: [{ id: 'robot-1', secret: 'robot-secret-0123456789', ...extra }] });

describe('kiosk devices file: voice input and waiting settings', () => {
  it('defaults to browser speech, 90 s idle and 600 s while waiting for a person', () => {
    const [parsed] = parseKioskDevices(device({}));
    expect(parsed).to.include({ voiceInput: 'browser', asrUrl: undefined, idleTimeoutSeconds: 90, waitingIdleTimeoutSeconds: 600 });
  });

  it('takes "none", and "websocket" only with a ws:// or wss:// asrUrl', () => {
    expect(parseKioskDevices(device({ voiceInput: 'none' }))[0]!.voiceInput).to.equal('none');
    expect(parseKioskDevices(device({ voiceInput: 'websocket', asrUrl: 'wss://asr.internal/recognize' }))[0]).to.include({ voiceInput: 'websocket', asrUrl: 'wss://asr.internal/recognize' });
    expect(() => parseKioskDevices(device({ voiceInput: 'websocket' }))).to.throw(/asrUrl: voiceInput "websocket" needs asrUrl/);
    expect(() => parseKioskDevices(device({ voiceInput: 'websocket', asrUrl: 'https://asr.internal/' }))).to.throw(/asrUrl: expected a ws:\/\/ or wss:\/\/ URL/);
    expect(() => parseKioskDevices(device({ voiceInput: 'cloud' }))).to.throw(/voiceInput/);
  });

  it('never waits less while queued than when idle', () => {
    expect(parseKioskDevices(device({ idleTimeoutSeconds: 900, waitingIdleTimeoutSeconds: 60 }))[0]!.waitingIdleTimeoutSeconds).to.equal(900);
  });

  it('the example file parses', () => {
    const devices = loadKioskDevices(join(projectRoot(), 'config', 'kiosk-devices.example.yaml'));
    expect(devices.map((d) => d.voiceInput)).to.deep.equal(['browser', 'none']);
  });
});
