import { readFile } from 'node:fs/promises';
import { ContentError } from '../errors.js';

export interface LabelledRow {
  text: string;
  label: string;
  lang?: string;
  /** 1-based line number where the record starts. */
  line: number;
}

/**
 * RFC 4180 CSV parser: quoted fields may contain commas, doubled quotes and newlines;
 * CRLF and LF line endings; a UTF-8 BOM is skipped. Returns records with the line each
 * starts on. Throws ContentError (with the line number) for an unterminated quote or a
 * stray quote inside an unquoted field.
 */
export function parseCsv(input: string, source = 'input'): { fields: string[]; line: number }[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let atFieldStart = true;
  const n = text.length;
  const endRecord = (): void => {
    fields.push(field);
    // Skip blank lines entirely.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    atFieldStart = true;
  };
  while (i < n) {
    const ch = text[i]!;
    if (atFieldStart && ch === '"') {
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= n) throw new ContentError(`${source}: line ${quoteLine}: unterminated quoted field`);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      atFieldStart = false;
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new ContentError(`${source}: line ${line}: unexpected character after closing quote`);
      }
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      recordLine = line;
    } else {
      if (ch === '"') throw new ContentError(`${source}: line ${line}: stray quote in unquoted field`);
      field += ch;
      atFieldStart = false;
      i++;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/**
 * Parses a labelled corpus with header `text,label[,lang]` (columns in any order; `intent`
 * is accepted for `label`). Every malformed record is reported with its line number.
 */
export function parseLabelledCsv(input: string, source = 'input'): LabelledRow[] {
  const records = parseCsv(input, source);
  const header = records[0];
  if (!header) throw new ContentError(`${source}: empty file (expected a header "text,label[,lang]")`);
  const cols = header.fields.map((h) => h.trim().toLowerCase());
  const textCol = cols.indexOf('text');
  let labelCol = cols.indexOf('label');
  if (labelCol < 0) labelCol = cols.indexOf('intent');
  const langCol = cols.indexOf('lang');
  if (textCol < 0 || labelCol < 0) {
    throw new ContentError(`${source}: line ${header.line}: header must contain "text" and "label" columns, got "${header.fields.join(',')}"`);
  }
  const problems: string[] = [];
  const rows: LabelledRow[] = [];
  for (const rec of records.slice(1)) {
    if (rec.fields.length !== cols.length) {
      problems.push(`line ${rec.line}: expected ${cols.length} fields, found ${rec.fields.length}`);
      continue;
    }
    const text = rec.fields[textCol]!.trim();
    const label = rec.fields[labelCol]!.trim();
    if (text === '' || label === '') {
      problems.push(`line ${rec.line}: empty ${text === '' ? 'text' : 'label'}`);
      continue;
    }
    const row: LabelledRow = { text, label, line: rec.line };
    const lang = langCol >= 0 ? rec.fields[langCol]!.trim() : '';
    if (lang !== '') row.lang = lang;
    rows.push(row);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join('; ');
    const more = problems.length > 10 ? ` (and ${problems.length - 10} more)` : '';
    throw new ContentError(`${source}: malformed CSV: ${shown}${more}`);
  }
  return rows;
}

export async function readLabelledCsv(path: string): Promise<LabelledRow[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new ContentError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  return parseLabelledCsv(content, path);
}
