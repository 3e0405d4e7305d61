import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnowledgeFeature } from '../../src/knowledge/knowledge-feature.js';
import { projectRoot } from '../../src/project-root.js';
import { answerIdOf, createDialogBot, type DialogBot } from '../support/dialog-bot.js';

const OLD = 'Most Demo Bank branches open Monday to Friday 09:00–17:00';
const NEW = 'From next month every Demo Bank branch opens 08:30–18:00 on weekdays';

describe('dialogs: hot reload while turns are served', () => {
  let dir: string;
  let bot: DialogBot;
  let knowledge: KnowledgeFeature;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'carebot-content-'));
    cpSync(join(projectRoot(), 'knowledge'), dir, { recursive: true });
    bot = await createDialogBot({ KNOWLEDGE_DIR: dir, KNOWLEDGE_PACKS: 'bank', NLU_MODEL_CACHE_DIR: join(dir, '.models') });
    knowledge = bot.carebot.features.find((feature) => feature.name === 'knowledge') as KnowledgeFeature;
  });
  after(async () => {
    await bot?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ask(): Promise<string> {
    let text = '';
    await bot
      .conversation()
      .send('what time do branches open on Saturday?')
      .assertReply((reply) => {
        expect(answerIdOf(reply)).to.equal('bank.opening_hours#default');
        text = reply.text ?? '';
      })
      .startTest();
    return text;
  }

  it('answers every turn of a burst from either the old or the new content, never a mix or an error', async () => {
    const file = join(dir, 'bank', 'intents.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(OLD, NEW));
    const burst = Array.from({ length: 40 }, (_, i) => (i === 10 ? knowledge.runtime.reload().then(() => 'reloaded') : ask()));
    const results = await Promise.all(burst);
    const answers = results.filter((result) => result !== 'reloaded');
    expect(answers).to.have.lengthOf(39);
    for (const answer of answers) expect(answer.startsWith(OLD) || answer.startsWith(NEW), answer).to.equal(true);
    expect(await ask()).to.match(new RegExp(`^${NEW}`));
  });

  it('keeps serving the previous content when an edit breaks a file, and reports file and line', async () => {
    const file = join(dir, 'bank', 'intents.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('  - id: bank.branch_locations', '  - id: [bank.branch_locations'));
    const result = await knowledge.runtime.reload();
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.error.message).to.match(/intents\.yaml:\d+/);
    expect(await ask()).to.match(new RegExp(`^${NEW}`));
    writeFileSync(file, good);
  });
});
