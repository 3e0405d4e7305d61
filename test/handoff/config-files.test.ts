import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AgentDirectory } from '../../src/agent/agent-directory.js';
import { hashPassword, needsRehash, SCRYPT_PARAMS, verifyPassword } from '../../src/agent/password.js';
import { describeOpening, fieldAccepts, intentMappingProblems, isOpen, loadSkillCatalog, parseSkillCatalog } from '../../src/handoff/skills.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { parseScore } from '../../src/bot/csat-score.js';
import { projectRoot } from '../../src/project-root.js';
import { createCarebot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { memoryLogger } from '../support/silent-logger.js';

describe('handoff configuration files', () => {
  it('loads the example agents and skills, and the example password verifies', async () => {
    const agents = AgentDirectory.load(join(projectRoot(), 'config', 'agents.example.yaml'));
    expect(agents.get('kit')?.languages).to.deep.equal(['zh-HK', 'en']);
    expect(await agents.authenticate('kit', 'change me')).to.include({ id: 'kit' });
    expect(await agents.authenticate('kit', 'wrong')).to.equal(undefined);
    expect(await agents.authenticate('nobody', 'change me')).to.equal(undefined);
    const skills = loadSkillCatalog(join(projectRoot(), 'config', 'handoff-skills.example.yaml'));
    expect(skills.skills.get('cards')?.fields[0]?.id).to.equal('cardLast4');
    expect(skills.intents['bank.lost_card']).to.equal('cards');
    expect(readFileSync(join(projectRoot(), 'src', 'agent', 'openapi.json'), 'utf8')).to.include('/api/agent/stream');
  });

  it('names what is wrong in a bad file', () => {
    expect(() => AgentDirectory.parse('agents:\n  - id: x\n    name: X\n    skills: []\n    languages: [fr]\n    passwordHash: plain\n')).to.throw(/skills|languages|passwordHash/);
    expect(() => parseSkillCatalog('intents:\n  a.b: nowhere\n')).to.throw(/unknown skill "nowhere"/);
    expect(() => parseSkillCatalog('skills:\n  x:\n    hours: { timezone: Mars/Base, open: "09:00", close: "10:00" }\n')).to.throw(/IANA/);
  });

  it('refuses a field pattern that does not compile or can take exponential time on what a customer types', () => {
    const field = (pattern: string) => `skills:\n  cards:\n    fields:\n      - id: account\n        prompt: Account number?\n        pattern: '${pattern}'\n`;
    expect(() => parseSkillCatalog(field('^(\\d+\\s?)+$'), 'skills.yaml')).to.throw(/skills\.yaml: skills\.cards\.fields\.0\.pattern: nested repetition/);
    expect(() => parseSkillCatalog(field('^[0-9'), 'skills.yaml')).to.throw(/skills\.cards\.fields\.0\.pattern: not a valid regular expression/);
    expect(parseSkillCatalog(field('^\\d{8}$')).skills.get('cards')?.fields[0]?.pattern).to.equal('^\\d{8}$');
  });

  it('runs a field pattern only on answers as short as a field answer can be', () => {
    expect(fieldAccepts({ pattern: '^.+$' }, 'x'.repeat(256))).to.equal(true);
    expect(fieldAccepts({ pattern: '^.+$' }, 'x'.repeat(257))).to.equal(false);
    expect(fieldAccepts({}, 'x'.repeat(5000)), 'no pattern: any answer').to.equal(true);
    expect(fieldAccepts({}, '')).to.equal(false);
  });

  it("checks the skills file's intent mapping against the loaded packs", async () => {
    const knowledge = await loadKnowledge({ dir: join(projectRoot(), 'knowledge') });
    const example = loadSkillCatalog(join(projectRoot(), 'config', 'handoff-skills.example.yaml'));
    expect(intentMappingProblems(example, knowledge)).to.deep.equal([]);
    const typo = parseSkillCatalog('skills:\n  cards: {}\nintents:\n  bank.card_lost: cards\n  travel.visa: cards\n', 'skills.yaml');
    // A pack that is not loaded (travel) is not checked; a typo in a loaded pack is, with a suggestion.
    expect(intentMappingProblems(typo, knowledge, 'skills.yaml')).to.deep.equal([
      'skills.yaml: intents.bank.card_lost is not an intent of pack "bank" (did you mean bank.lost_card?)',
    ]);
    const hrOnly = await loadKnowledge({ dir: join(projectRoot(), 'knowledge'), packs: ['hr'] });
    expect(intentMappingProblems(typo, hrOnly)).to.deep.equal([]);
  });

  it('refuses to start with a skills file that maps an intent the loaded packs do not have', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebot-skills-'));
    writeFileSync(join(dir, 'skills.yaml'), 'skills:\n  cards: {}\nintents:\n  core.humann: cards\n');
    const config = loadConfig({
      NODE_ENV: 'test',
      KNOWLEDGE_PACKS: 'core',
      KNOWLEDGE_WATCH: 'false',
      HANDOFF_AGENTS_FILE: join(projectRoot(), 'config', 'agents.example.yaml'),
      HANDOFF_SKILLS_FILE: join(dir, 'skills.yaml'),
    });
    let failure: unknown;
    try {
      const carebot = await createCarebot(config, { logger: memoryLogger('silent').logger });
      await carebot.close();
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(ConfigError);
    expect((failure as Error).message).to.include('intents.core.humann is not an intent of pack "core"');
  });

  it('hashes with scrypt at OWASP\'s minimum cost, the parameters stored in the hash', async () => {
    expect(SCRYPT_PARAMS.N).to.be.at.least(2 ** 17);
    expect(SCRYPT_PARAMS.r).to.be.at.least(8);
    const hash = await hashPassword('pw');
    expect(hash).to.match(/^scrypt\$131072\$8\$1\$[^$]+\$[^$]+$/);
    expect(await verifyPassword('pw', hash)).to.equal(true);
    expect(await verifyPassword('px', hash)).to.equal(false);
    expect(needsRehash(hash)).to.equal(false);
    // The stored parameters are the ones used: the same salt and key at another cost do not verify.
    const cheap = await hashPassword('pw', { N: 2 ** 12, r: 8, p: 1 });
    expect(await verifyPassword('pw', cheap)).to.equal(true);
    expect(needsRehash(cheap)).to.equal(true);
    expect(await verifyPassword('pw', cheap.replace('$4096$', '$8192$'))).to.equal(false);
  });

  it('still verifies hashes in the old scrypt$salt$hash format and flags them for rehashing', async () => {
    const legacy = 'scrypt$aDJgrufNaSbxJNgnbezkmA==$uU93mGhNVatcIoIQTBmKwz7tGGiWOp1fE5GWsp4lqhU=';
    expect(await verifyPassword('change me', legacy)).to.equal(true);
    expect(await verifyPassword('change it', legacy)).to.equal(false);
    expect(needsRehash(legacy)).to.equal(true);
    const current = await hashPassword('change me');
    const agents = AgentDirectory.parse(
      `agents:\n  - { id: old, name: Old, skills: [general], languages: [en], passwordHash: "${legacy}" }\n  - { id: new, name: New, skills: [general], languages: [en], passwordHash: "${current}" }\n`,
    );
    expect(agents.needingRehash()).to.deep.equal(['old']);
    expect(await agents.authenticate('old', 'change me')).to.include({ id: 'old' });
  });

  it('refuses stored parameters outside sane bounds instead of allocating them', async () => {
    const hash = await hashPassword('pw', { N: 2 ** 12, r: 8, p: 1 });
    expect(await verifyPassword('pw', hash.replace('$4096$', `$${2 ** 30}$`))).to.equal(false);
    expect(await verifyPassword('pw', hash.replace('$4096$', '$5000$'))).to.equal(false);
    expect(() => AgentDirectory.parse(`agents:\n  - { id: x, name: X, skills: [general], languages: [en], passwordHash: "${hash.replace('$4096$', `$${2 ** 30}$`)}" }\n`)).to.throw(/passwordHash/);
  });

  it('knows working hours in the skill time zone, across the date line', () => {
    const hours = { timezone: 'Asia/Hong_Kong', days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' };
    // Monday 2025-03-03 10:00 in Hong Kong is 02:00 UTC.
    expect(isOpen(hours, Date.UTC(2025, 2, 3, 2, 0))).to.equal(true);
    // Sunday 2025-03-02 23:00 UTC is Monday 07:00 in Hong Kong: closed, back Monday 09:00.
    expect(isOpen(hours, Date.UTC(2025, 2, 2, 23, 0))).to.equal(false);
    expect(describeOpening(hours, Date.UTC(2025, 2, 2, 23, 0), 'en')).to.equal('Monday 09:00 (Asia/Hong_Kong)');
    // Friday 18:30 → Monday.
    expect(describeOpening(hours, Date.UTC(2025, 2, 7, 10, 30), 'zh-HK')).to.match(/星期一.*09:00/);
  });

  it('reads CSAT scores in any script', () => {
    expect(['5', '５', '4/5', '三', '2分', '1 star'].map(parseScore)).to.deep.equal([5, 5, 4, 3, 2, 1]);
    expect(['6', 'good', ''].map(parseScore)).to.deep.equal([undefined, undefined, undefined]);
  });
});
