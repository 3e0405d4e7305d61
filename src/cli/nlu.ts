/**
 * carebot NLU command line: train, predict, eval, cross-validate.
 * Run as `npm run nlu -- <command> …`; `npm run nlu -- help` lists the commands.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { CarebotError } from '../errors.js';
import { readLabelledCsv } from '../nlu/csv.js';
import type { LabelledRow } from '../nlu/csv.js';
import { evaluate, OOS_LABEL } from '../nlu/evaluate.js';
import type { EvalReport } from '../nlu/evaluate.js';
import { crossValidate } from '../nlu/cross-validate.js';
import { fewShotProtocols, formatFewShot, runFewShot } from '../nlu/few-shot.js';
import type { FewShotResult } from '../nlu/few-shot.js';
import { projectRoot } from '../project-root.js';
import { join } from 'node:path';
import { NluEngine } from '../nlu/nlu-engine.js';
import { TUNING } from '../nlu/intent-classifier.js';
import type { TrainingExample } from '../nlu/types.js';

const USAGE = `usage: npm run nlu -- <command> [options]

commands:
  train <corpus.csv> --out <model.json> [--oos-threshold <p>]
  predict --model <model.json> [--oos-threshold <p>]     reads lines on stdin, prints JSON lines
  eval --train <train.csv> --test <test.csv> [--json] [--oos-threshold <p>]
  cross-validate <corpus.csv> [--folds 5] [--json]
  fewshot [--datasets <dir>] [--dev] [--json] [--prototypes <w>]
                                                        the three few-shot protocols of <dir>/fewshot (default ../shared/datasets);
                                                        --prototypes: weight w of the word-vector prototype in the close-call term (default 2; 0: no term)

CSV: header "text,label" (optional "lang"); label "oos" in a test file = out of scope.`;

class UsageError extends Error {}

function progress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((done / Math.max(total, 1)) * 100);
    if (pct === last && done < total) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%`);
    if (done >= total) process.stderr.write('\n');
  };
}

function toExamples(rows: readonly LabelledRow[], source: string): TrainingExample[] {
  const oos = rows.find((r) => r.label === OOS_LABEL);
  if (oos) throw new UsageError(`${source}: line ${oos.line}: label "${OOS_LABEL}" is reserved for test files (out of scope) and cannot be trained`);
  return rows.map((r) => (r.lang ? { text: r.text, intent: r.label, lang: r.lang } : { text: r.text, intent: r.label }));
}

function numberOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number between ${min} and ${max}, got "${value}"`);
  return n;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}

function printReport(r: EvalReport, print: (s: string) => void): void {
  print(`examples            ${r.examples}`);
  print(`accuracy            ${pct(r.accuracy)}   (out-of-scope rows count as correct when rejected)`);
  print(`in-scope accuracy   ${pct(r.inScopeAccuracy)}   (top-1 ignoring the OOS threshold: ${pct(r.top1Accuracy)})`);
  print(`macro-F1            ${pct(r.macroF1)}`);
  if (r.oos.support > 0) {
    print(`out-of-scope        precision ${pct(r.oos.precision)}  recall ${pct(r.oos.recall)}  F1 ${pct(r.oos.f1)}  (threshold ${r.oosThreshold})`);
  } else {
    print(`out-of-scope        no "oos" rows in the test file (threshold ${r.oosThreshold})`);
  }
  print(`training            ${r.trainMs} ms`);
  print(`predictions/s       ${r.predictionsPerSecond}`);
  const langs = Object.entries(r.byLang);
  if (langs.length > 0) {
    print('\naccuracy by language');
    for (const [lang, s] of langs) print(`  ${lang.padEnd(10)} ${pct(s.accuracy).padStart(8)}  (${s.examples})`);
  }
  print('\nper intent                                   precision   recall       F1  support');
  for (const s of r.perIntent) {
    print(`  ${s.intent.slice(0, 42).padEnd(42)} ${pct(s.precision).padStart(9)} ${pct(s.recall).padStart(8)} ${pct(s.f1).padStart(8)} ${String(s.support).padStart(8)}`);
  }
  if (r.confusions.length > 0) {
    print('\nmost confused (expected → predicted)');
    for (const c of r.confusions.slice(0, 10)) print(`  ${String(c.count).padStart(4)}  ${c.expected} → ${c.predicted}`);
  }
}

async function cmdTrain(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, 'oos-threshold': { type: 'string' } } });
  const corpus = positionals[0];
  if (!corpus || !values.out) throw new UsageError('train needs <corpus.csv> and --out <model.json>');
  const examples = toExamples(await readLabelledCsv(corpus), corpus);
  const oosThreshold = numberOption(values['oos-threshold'], 'oos-threshold', 0, 1);
  const onProgress = progress('training');
  const engine = NluEngine.train(examples, { ...(oosThreshold === undefined ? {} : { oosThreshold }), ...(onProgress ? { onProgress } : {}) });
  await writeFile(values.out, engine.serialize());
  process.stdout.write(`trained ${engine.intents.length} intents from ${examples.length} examples in ${engine.trainMs} ms; OOS threshold ${engine.oosThreshold.toFixed(3)}; model ${values.out} (corpus ${engine.corpusHash})\n`);
}

async function cmdPredict(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { model: { type: 'string' }, 'oos-threshold': { type: 'string' } } });
  if (!values.model) throw new UsageError('predict needs --model <model.json>');
  let content: string;
  try {
    content = await readFile(values.model, 'utf8');
  } catch {
    throw new UsageError(`cannot read model file ${values.model}`);
  }
  const engine = NluEngine.load(content);
  const oosThreshold = numberOption(values['oos-threshold'], 'oos-threshold', 0, 1);
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    const r = engine.analyze(line, oosThreshold === undefined ? {} : { oosThreshold });
    const out = { text: r.text, intent: r.intent, confidence: r.confidence, ambiguous: r.ambiguous, outOfScope: r.outOfScope, language: r.language, mixed: r.mixed, entities: r.entities, sentiment: r.sentiment, alternatives: r.alternatives };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}

async function cmdEval(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { train: { type: 'string' }, test: { type: 'string' }, json: { type: 'boolean' }, 'oos-threshold': { type: 'string' } } });
  if (!values.train || !values.test) throw new UsageError('eval needs --train <train.csv> and --test <test.csv>');
  const examples = toExamples(await readLabelledCsv(values.train), values.train);
  const testRows = await readLabelledCsv(values.test);
  const oosThreshold = numberOption(values['oos-threshold'], 'oos-threshold', 0, 1);
  const onTrain = progress('training');
  const engine = NluEngine.train(examples, onTrain ? { onProgress: onTrain } : {});
  const onEval = progress('evaluating');
  const report = evaluate(engine, testRows, { ...(oosThreshold === undefined ? {} : { oosThreshold }), ...(onEval ? { onProgress: onEval } : {}) });
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else printReport(report, (s) => process.stdout.write(`${s}\n`));
}

async function cmdCrossValidate(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { folds: { type: 'string' }, json: { type: 'boolean' } } });
  const corpus = positionals[0];
  if (!corpus) throw new UsageError('cross-validate needs <corpus.csv>');
  const folds = numberOption(values.folds ?? '5', 'folds', 2, 50)!;
  if (!Number.isInteger(folds)) throw new UsageError('--folds must be an integer');
  const rows = await readLabelledCsv(corpus);
  const onProgress = progress('cross-validating');
  const summary = crossValidate(toExamples(rows, corpus), folds, {}, onProgress);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  process.stdout.write(`${folds}-fold cross-validation on ${rows.length} examples\n`);
  process.stdout.write(`accuracy      ${pct(summary.accuracy)}  (wrongly rejected as out of scope: ${pct(summary.rejectedInScope)})\n`);
  process.stdout.write(`top-1         ${pct(summary.top1Accuracy)}\nmacro-F1      ${pct(summary.macroF1)}\ntraining      ${summary.trainMs} ms per fold\n`);
  summary.perFold.forEach((p, i) => process.stdout.write(`  fold ${i + 1}: accuracy ${pct(p.accuracy)}  macro-F1 ${pct(p.macroF1)}\n`));
}

async function cmdFewShot(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { datasets: { type: 'string' }, dev: { type: 'boolean' }, json: { type: 'boolean' }, prototypes: { type: 'string' } } });
  const dir = values.datasets ?? join(projectRoot(), '..', 'shared', 'datasets');
  // The close-call term's prototype weight (see TUNING); 0 measures the engine without the term.
  const prototypes = numberOption(values.prototypes, 'prototypes', 0, 100);
  if (prototypes !== undefined) Object.assign(TUNING, { wordVectors: prototypes > 0 ? 1 : 0, prototypes });
  const split = values.dev ? 'dev' : 'test';
  const results: FewShotResult[] = [];
  const onProgress = progress('few-shot');
  const protocols = fewShotProtocols(dir);
  for (const [i, protocol] of protocols.entries()) {
    const result = await runFewShot(protocol, split);
    if (result === null) throw new UsageError(`few-shot files of "${protocol.name}" not found under ${dir}/fewshot (pass --datasets <dir>)`);
    results.push(result);
    onProgress?.(i + 1, protocols.length);
    if (!values.json) process.stdout.write(`${formatFewShot(result)}\n`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train':
        await cmdTrain(rest);
        return 0;
      case 'predict':
        await cmdPredict(rest);
        return 0;
      case 'eval':
        await cmdEval(rest);
        return 0;
      case 'fewshot':
        await cmdFewShot(rest);
        return 0;
      case 'cross-validate':
      case 'cv':
        await cmdCrossValidate(rest);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof CarebotError) {
      process.stderr.write(`error [${error.code}]: ${error.message}\n`);
      return 1;
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
