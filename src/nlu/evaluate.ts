import type { NluEngine } from './nlu-engine.js';

export interface EvalRow {
  text: string;
  label: string;
  lang?: string;
}

export interface IntentScore {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalReport {
  examples: number;
  /** All rows; an out-of-scope row counts as correct when rejected. */
  accuracy: number;
  /** In-scope rows only, rejections count as errors (CLINC150's "in-scope accuracy"). */
  inScopeAccuracy: number;
  /** In-scope rows, best intent ignoring the out-of-scope threshold (closed-set accuracy). */
  top1Accuracy: number;
  macroF1: number;
  perIntent: IntentScore[];
  confusions: { expected: string; predicted: string; count: number }[];
  oos: { precision: number; recall: number; f1: number; support: number };
  byLang: Record<string, { accuracy: number; examples: number }>;
  oosThreshold: number;
  trainMs: number;
  predictionsPerSecond: number;
}

export const OOS_LABEL = 'oos';

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/** Scores an engine on labelled rows (label `oos` = out of scope). */
export function evaluate(
  engine: NluEngine,
  rows: readonly EvalRow[],
  options: { oosThreshold?: number; onProgress?: (done: number, total: number) => void } = {},
): EvalReport {
  const predicted: string[] = [];
  const top1: string[] = [];
  // A few untimed calls first, so predictions/s measures the steady state, not JIT warm-up.
  for (const row of rows.slice(0, 50)) engine.classify(row.text);
  const started = performance.now();
  rows.forEach((row, i) => {
    const p = engine.classify(row.text, options.oosThreshold === undefined ? {} : { oosThreshold: options.oosThreshold });
    predicted.push(p.intent ?? OOS_LABEL);
    top1.push(p.topIntent);
    if (options.onProgress && (i % 200 === 0 || i === rows.length - 1)) options.onProgress(i + 1, rows.length);
  });
  const elapsed = (performance.now() - started) / 1000;

  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  const confusions = new Map<string, number>();
  const byLang = new Map<string, { ok: number; n: number }>();
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let top1Correct = 0;
  rows.forEach((row, i) => {
    const pred = predicted[i]!;
    const ok = pred === row.label;
    if (ok) {
      correct++;
      inc(tp, row.label);
    } else {
      inc(fp, pred);
      inc(fn, row.label);
      const key = `${row.label}\u0000${pred}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
    }
    if (row.label !== OOS_LABEL) {
      inScope++;
      if (ok) inScopeCorrect++;
      if (top1[i] === row.label) top1Correct++;
    }
    if (row.lang) {
      const s = byLang.get(row.lang) ?? { ok: 0, n: 0 };
      s.n++;
      if (ok) s.ok++;
      byLang.set(row.lang, s);
    }
  });
  const intents = [...new Set(rows.map((r) => r.label).filter((l) => l !== OOS_LABEL))].sort();
  const perIntent = intents.map((intent) => {
    const t = tp.get(intent) ?? 0;
    const p = ratio(t, t + (fp.get(intent) ?? 0));
    const r = ratio(t, t + (fn.get(intent) ?? 0));
    return { intent, precision: r4(p), recall: r4(r), f1: r4(f1(p, r)), support: t + (fn.get(intent) ?? 0) };
  });
  const oosTp = tp.get(OOS_LABEL) ?? 0;
  const oosP = ratio(oosTp, oosTp + (fp.get(OOS_LABEL) ?? 0));
  const oosR = ratio(oosTp, oosTp + (fn.get(OOS_LABEL) ?? 0));
  return {
    examples: rows.length,
    accuracy: r4(ratio(correct, rows.length)),
    inScopeAccuracy: r4(ratio(inScopeCorrect, inScope)),
    top1Accuracy: r4(ratio(top1Correct, inScope)),
    macroF1: r4(ratio(perIntent.reduce((s, x) => s + x.f1, 0), perIntent.length)),
    perIntent,
    confusions: [...confusions.entries()]
      .map(([k, count]) => {
        const [expected, predictedLabel] = k.split('\u0000') as [string, string];
        return { expected, predicted: predictedLabel, count };
      })
      .sort((a, b) => b.count - a.count)
      .slice(0, 15),
    oos: { precision: r4(oosP), recall: r4(oosR), f1: r4(f1(oosP, oosR)), support: oosTp + (fn.get(OOS_LABEL) ?? 0) },
    byLang: Object.fromEntries([...byLang.entries()].sort().map(([l, s]) => [l, { accuracy: r4(ratio(s.ok, s.n)), examples: s.n }])),
    oosThreshold: r4(options.oosThreshold ?? engine.oosThreshold),
    trainMs: engine.trainMs,
    predictionsPerSecond: Math.round(rows.length / Math.max(elapsed, 1e-6)),
  };
}
