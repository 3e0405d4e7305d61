import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readLabelledCsv } from './csv.js';
import { evaluate } from './evaluate.js';
import { NluEngine } from './nlu-engine.js';
import type { TrainOptions } from './types.js';

/**
 * The few-shot protocols of `shared/datasets/fewshot/` (see its README): fixed train samples
 * per seed, scored on the public test splits; the `dev` pairs are for tuning only and are
 * disjoint from the test files.
 */
export interface FewShotProtocol {
  name: string;
  runs: { seed: string; train: string; test: string }[];
  dev: { seed: string; train: string; test: string }[];
}

export function fewShotProtocols(datasetsDir: string): FewShotProtocol[] {
  const f = (name: string): string => join(datasetsDir, 'fewshot', name);
  const seeds = ['0', '1', '2'];
  const devSeeds = ['100', '101'];
  return [
    {
      name: 'BANKING77 10-shot',
      runs: seeds.map((s) => ({ seed: s, train: f(`banking77-10shot-seed${s}.train.csv`), test: join(datasetsDir, 'banking77', 'test.csv') })),
      dev: devSeeds.map((s) => ({ seed: s, train: f(`banking77-10shot-dev${s}.train.csv`), test: f(`banking77-10shot-dev${s}.dev.csv`) })),
    },
    {
      name: 'MASSIVE multilingual 12/intent',
      runs: seeds.map((s) => ({ seed: s, train: f(`massive-multi12-seed${s}.train.csv`), test: f('massive-multi12.test.csv') })),
      dev: devSeeds.map((s) => ({ seed: s, train: f(`massive-multi12-dev${s}.train.csv`), test: f(`massive-multi12-dev${s}.dev.csv`) })),
    },
    {
      name: 'MASSIVE zh-CN 10-shot',
      runs: seeds.map((s) => ({ seed: s, train: f(`massive-zh10-seed${s}.train.csv`), test: join(datasetsDir, 'massive', 'zh-CN', 'test.csv') })),
      dev: devSeeds.map((s) => ({ seed: s, train: f(`massive-zh10-dev${s}.train.csv`), test: join(datasetsDir, 'massive', 'zh-CN', 'validation.csv') })),
    },
  ];
}

export interface FewShotRun {
  seed: string;
  /** In-scope accuracy: answers rejected as out of scope count as errors. */
  accuracy: number;
  /** Best intent ignoring the out-of-scope threshold. */
  top1: number;
  byLang: Record<string, number>;
  trainMs: number;
  predictionsPerSecond: number;
}

export interface FewShotResult {
  name: string;
  split: 'test' | 'dev';
  runs: FewShotRun[];
  mean: number;
  /** Sample standard deviation over the seeds. */
  sd: number;
  min: number;
  max: number;
  meanTop1: number;
}

/** Trains on each seed's sample and scores it; null when the protocol's files are missing. */
export async function runFewShot(protocol: FewShotProtocol, split: 'test' | 'dev' = 'test', options: TrainOptions = {}): Promise<FewShotResult | null> {
  const pairs = split === 'test' ? protocol.runs : protocol.dev;
  if (!pairs.every((p) => existsSync(p.train) && existsSync(p.test))) return null;
  const runs: FewShotRun[] = [];
  for (const p of pairs) {
    const train = await readLabelledCsv(p.train);
    const test = await readLabelledCsv(p.test);
    const engine = NluEngine.train(train.map((r) => ({ text: r.text, intent: r.label })), options);
    const report = evaluate(engine, test);
    runs.push({
      seed: p.seed,
      accuracy: report.inScopeAccuracy,
      top1: report.top1Accuracy,
      byLang: Object.fromEntries(Object.entries(report.byLang).map(([l, v]) => [l, v.accuracy])),
      trainMs: report.trainMs,
      predictionsPerSecond: report.predictionsPerSecond,
    });
  }
  const acc = runs.map((r) => r.accuracy);
  const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
  const sd = acc.length > 1 ? Math.sqrt(acc.reduce((a, b) => a + (b - mean) ** 2, 0) / (acc.length - 1)) : 0;
  return {
    name: protocol.name,
    split,
    runs,
    mean,
    sd,
    min: Math.min(...acc),
    max: Math.max(...acc),
    meanTop1: runs.reduce((a, r) => a + r.top1, 0) / runs.length,
  };
}

/** One line per protocol: per-seed accuracies, mean ± sd, range. */
export function formatFewShot(r: FewShotResult): string {
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  const seeds = r.runs.map((x) => `${r.split === 'test' ? 'seed' : 'dev'}${x.seed} ${pct(x.accuracy)}`).join(', ');
  return `${r.name.padEnd(32)} mean ${pct(r.mean)} ± ${(r.sd * 100).toFixed(1)} (range ${pct(r.min)}–${pct(r.max)}; top-1 ${pct(r.meanTop1)})  ${seeds}`;
}
