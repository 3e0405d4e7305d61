/** Sentence ends in Chinese and Latin text; the split keeps the punctuation with its sentence. */
const SENTENCE_END = /[。！？!?；;…]+["”’」』)）]*\s*|[.](?=\s)\s*|\n+/gu;

/**
 * Splits `text` into chunks of at most `limit` characters (code points), at sentence
 * boundaries when it can, then at spaces, then anywhere. Joined back, the chunks give the
 * text again (up to the whitespace at a cut).
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 1) throw new RangeError('limit must be at least 1');
  const trimmed = text.trim();
  if (length(trimmed) <= limit) return trimmed ? [trimmed] : [];
  const chunks: string[] = [];
  let current = '';
  for (const sentence of sentences(trimmed)) {
    if (length(current) + length(sentence) <= limit) {
      current += sentence;
      continue;
    }
    if (current.trim()) chunks.push(current.trim());
    if (length(sentence) <= limit) {
      current = sentence;
    } else {
      const pieces = hardSplit(sentence, limit);
      current = pieces.pop() ?? '';
      chunks.push(...pieces);
    }
  }
  if (current.trim()) chunks.push(current.trim());
  return chunks;
}

function sentences(text: string): string[] {
  const result: string[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = (match.index ?? 0) + match[0].length;
    result.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) result.push(text.slice(start));
  return result;
}

/** A sentence longer than the limit: cut at the last space that fits, or at the limit. */
function hardSplit(sentence: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = [...sentence];
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = limit;
    const piece = rest.slice(0, cut).join('').trim();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
  }
  pieces.push(rest.join(''));
  return pieces;
}

function length(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
