/** A UTF-16 code unit of a surrogate pair that has no partner. Linear: each lookaround is one code unit. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const MAY_NEED_CLEANING = /[\u0000\uD800-\uDFFF]/;

/**
 * Text as both stores can keep it: PostgreSQL rejects NUL in text (and in JSON strings), which
 * would fail the whole batch, and a lone surrogate is not UTF-8 at all (the driver would turn it
 * into U+FFFD unasked, SQLite would store it as is). NUL carries nothing a reader sees, so it
 * goes; a lone surrogate becomes U+FFFD in both stores alike.
 */
export function storableText(text: string): string {
  // Nearly all text has neither: one scan instead of two passes.
  if (!MAY_NEED_CLEANING.test(text)) return text;
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

/** A row with every string column made storable; other values untouched. */
export function storableRow<T extends object>(row: T): T {
  const clean: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) clean[column] = typeof value === 'string' ? storableText(value) : value;
  return clean as T;
}
