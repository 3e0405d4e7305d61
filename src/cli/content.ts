/**
 * carebot content command line. Run as `npm run content -- <command>`:
 *   validate [--dir knowledge] [--packs bank,hr] [--learned dir] [--skills file]   checks every pack (with the
 *     learned overlay when --learned names its folder), and the handoff
 *     skills file's intent mapping against them (default: config/handoff-skills.example.yaml when present)
 *   export-csv [--dir knowledge] [--packs …] [--out corpus.csv]   the NLU training corpus (text,label)
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { hasErrorCode } from '../errors.js';
import { intentMappingProblems, loadSkillCatalog } from '../handoff/skills.js';
import { KnowledgeContentError } from '../knowledge/content-error.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';

const DEFAULT_SKILLS_FILE = 'config/handoff-skills.example.yaml';

const USAGE = `usage: npm run content -- <command> [options]

commands:
  validate [--dir knowledge] [--packs bank,hr] [--learned .data/learned] [--skills config/handoff-skills.example.yaml]
  export-csv [--dir knowledge] [--packs bank,hr] [--learned .data/learned] [--out corpus.csv]`;

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { dir: { type: 'string', default: 'knowledge' }, packs: { type: 'string' }, out: { type: 'string' }, skills: { type: 'string' }, learned: { type: 'string' } },
  });
  const command = positionals[0];
  const packs = values.packs?.split(',').map((p) => p.trim()).filter(Boolean);
  if (command === 'validate' || command === 'export-csv') {
    try {
      const knowledge = await loadKnowledge({ dir: values.dir, packs, overlayDir: values.learned });
      if (command === 'validate') {
        for (const pack of knowledge.packs) {
          const intents = knowledge.intents.filter((intent) => intent.pack === pack.id).length;
          process.stdout.write(`ok  ${pack.id.padEnd(10)} ${String(intents).padStart(3)} intents\n`);
        }
        const skillsFile = values.skills ?? (existsSync(DEFAULT_SKILLS_FILE) ? DEFAULT_SKILLS_FILE : undefined);
        const problems = skillsFile ? intentMappingProblems(loadSkillCatalog(skillsFile), knowledge, skillsFile) : [];
        for (const problem of problems) process.stderr.write(`${problem}\n`);
        if (problems.length > 0) return 1;
        if (skillsFile) process.stdout.write(`ok  ${skillsFile}: intent mapping\n`);
        process.stdout.write(`${knowledge.intents.length} intents, ${knowledge.trainingExamples().length} examples, ${knowledge.customEntityLists().length} entity lists: valid\n`);
      } else {
        const lines = ['text,label', ...knowledge.trainingExamples().map((e) => `${csvField(e.text)},${csvField(e.intent)}`)];
        const csv = `${lines.join('\n')}\n`;
        if (values.out) await writeFile(values.out, csv);
        else process.stdout.write(csv);
      }
      return 0;
    } catch (error) {
      if (error instanceof KnowledgeContentError) {
        for (const p of error.problems) process.stderr.write(`${p.file}:${p.line}: ${p.reason}\n`);
        process.stderr.write(`${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}\n`);
        return 1;
      }
      if (hasErrorCode(error, 'CONTENT_INVALID')) {
        process.stderr.write(`${(error as Error).message}\n`);
        return 1;
      }
      throw error;
    }
  }
  process.stderr.write(`${USAGE}\n`);
  return command === 'help' || command === undefined ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
