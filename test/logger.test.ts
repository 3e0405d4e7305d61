import { expect } from 'chai';
import { memoryLogger } from './support/silent-logger.js';

describe('logger', () => {
  it('censors message text, phone numbers, names and secrets wherever a log call puts them', () => {
    const { logger, lines } = memoryLogger('info');
    const secret = 'my HKID is A123456(3), call 91234567';
    logger.info({ text: secret }, 'top level');
    logger.info({ activity: { text: secret, from: { name: 'Chan Tai Man' } } }, 'an activity');
    logger.info({ reply: { text: secret }, phone: '+852 9123 4567' }, 'one level down');
    logger.info({ turn: { activity: { text: secret } }, contact: { phone: '+852 9123 4567' } }, 'two levels down');
    logger.info({ password: 'hunter2', agent: { token: 'eyJ.secret' } }, 'credentials');
    const logged = JSON.stringify(lines());
    for (const leaked of ['A123456', '91234567', '9123 4567', 'Chan Tai Man', 'hunter2', 'eyJ.secret']) expect(logged, leaked).to.not.include(leaked);
    expect(lines().map((line) => line.msg)).to.deep.equal(['top level', 'an activity', 'one level down', 'two levels down', 'credentials']);
    expect(lines()[0]).to.include({ text: '[redacted]' });
  });
});
