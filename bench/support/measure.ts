export interface ThroughputResult {
  label: string;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  heapMb: number;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index]!;
}

/**
 * Runs `conversations` conversations concurrently, each sending `turnsEach` messages one after
 * another, and measures every turn's latency and the overall rate. With `waves`, as many more
 * groups of new conversations follow, each starting when the previous one has ended (conversation
 * numbers continue across waves), so a run lasts long enough to time without making conversations
 * longer than real ones. `afterWave` runs at the end of each wave, inside the timing: work the
 * pipeline defers past its turns (buffered writes) that a run of turns with no I/O in between
 * would otherwise never give a chance to run.
 */
export async function measureTurns(
  label: string,
  conversations: number,
  turnsEach: number,
  turn: (conversation: number, index: number) => Promise<void>,
  options: { waves?: number; afterWave?: () => Promise<void> } = {},
): Promise<ThroughputResult> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let wave = 0; wave < (options.waves ?? 1); wave += 1) {
    await Promise.all(
      Array.from({ length: conversations }, async (_, slot) => {
        const conversation = wave * conversations + slot;
        for (let index = 0; index < turnsEach; index += 1) {
          const t0 = performance.now();
          await turn(conversation, index);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    // Inside the timed run: work the turns left behind is part of their cost.
    await options.afterWave?.();
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label,
    turns: latencies.length,
    turnsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    heapMb: process.memoryUsage().heapUsed / 1024 / 1024,
  };
}

export function formatTable(rows: readonly ThroughputResult[]): string[] {
  const header = ['pipeline', 'turns', 'turns/s', 'p50 ms', 'p99 ms', 'heap MB'];
  const body = rows.map((row) => [
    row.label,
    String(row.turns),
    row.turnsPerSecond.toFixed(0),
    row.p50Ms.toFixed(3),
    row.p99Ms.toFixed(3),
    row.heapMb.toFixed(0),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), ...body.map(line)];
}
