/**
 * Plain text for channels that show no formatting (WeChat): markdown emphasis, headings,
 * code fences and links become their text; list bullets stay as "• ".
 */
export function stripMarkdown(text: string): string {
  return convert(text, (inner) => inner);
}

/** WhatsApp's own formatting: `**bold**`/`__bold__` → `*bold*`, `*em*`/`_em_` → `_em_`, `~~x~~` → `~x~`. */
export function toWhatsappFormatting(text: string): string {
  return convert(text, (inner) => `*${inner}*`, (inner) => `_${inner}_`, (inner) => `~${inner}~`);
}

type Wrap = (inner: string) => string;

const BOLD_OPEN = '\uE000';
const BOLD_CLOSE = '\uE001';

function convert(text: string, bold: Wrap, italic: Wrap = (inner) => inner, strike: Wrap = (inner) => inner): string {
  // Bold is marked with placeholders first, so the italic pass cannot mistake its output for input.
  const marked: Wrap = (inner) => `${BOLD_OPEN}${inner}${BOLD_CLOSE}`;
  return text
    .replace(/```[a-z]*\n?([\s\S]*?)```/giu, (_, code: string) => code.trimEnd())
    .replace(/`([^`\n]+)`/gu, '$1')
    .replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/gu, (_, alt: string, url: string) => (alt ? `${alt} ${url}` : url))
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/gu, (_, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/^#{1,6}\s+(.+?)\s*#*$/gmu, (_, heading: string) => marked(heading))
    .replace(/^\s*[-*+]\s+/gmu, '• ')
    .replace(/^>\s?/gmu, '')
    .replace(/\*\*(?=\S)([^*\n]+?)\*\*|__(?=\S)([^_\n]+?)__/gu, (_, a?: string, b?: string) => marked(a ?? b ?? ''))
    .replace(/(?<![\w*])\*(?=\S)([^*\n]+?)\*(?![\w*])|(?<![\w_])_(?=\S)([^_\n]+?)_(?![\w_])/gu, (_, a?: string, b?: string) =>
      italic(a ?? b ?? ''),
    )
    .replace(/~~(?=\S)([^~\n]+?)~~/gu, (_, inner: string) => strike(inner))
    .replace(/\uE000([^\uE001]*)\uE001/gu, (_, inner: string) => bold(inner));
}
