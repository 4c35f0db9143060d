/** The field delimiters the CSV processor recognises. */
export type CsvDelimiter = ',' | ';' | '\t' | '|';

/** In order of preference when two fit equally well. */
const CANDIDATES: readonly CsvDelimiter[] = [',', ';', '\t', '|'];

/** Lines of the sample looked at. */
const SAMPLE_LINES = 50;

/** Splits a sample into lines, keeping newlines inside quoted fields; drops a cut-off last line. */
function sampleLines(sample: string, complete: boolean): string[] {
  const lines: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < sample.length && lines.length < SAMPLE_LINES; i++) {
    const c = sample[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (i > start) lines.push(sample.slice(start, i));
      start = i + 1;
    }
  }
  if (complete && lines.length < SAMPLE_LINES && start < sample.length) lines.push(sample.slice(start));
  return lines.filter((line) => line.trim() !== '');
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === delimiter) count++;
  }
  return count;
}

/**
 * Picks the delimiter from the first lines of a file: the candidate found the same number of
 * times (outside quotes) on the most lines wins, then the one found more often per line, then
 * `preferred` (tab for `.tsv`), then the order `,` `;` tab `|`. Without any candidate the file
 * is one column and the answer is `,` (or `preferred`).
 *
 * @param complete the sample is the whole file (its last line is not cut off)
 */
export function detectDelimiter(sample: string, complete: boolean, preferred?: CsvDelimiter): CsvDelimiter {
  let lines = sampleLines(sample, complete);
  if (lines.length === 0) lines = sampleLines(sample, true); // one line longer than the sample
  let best: { delimiter: CsvDelimiter; consistency: number; perLine: number } | undefined;
  const order = preferred ? [preferred, ...CANDIDATES.filter((c) => c !== preferred)] : CANDIDATES;
  for (const delimiter of order) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const tally = new Map<number, number>();
    for (const n of counts) if (n > 0) tally.set(n, (tally.get(n) ?? 0) + 1);
    // The most common non-zero count per line, and on how many lines it occurs.
    let perLine = 0;
    let agreeing = 0;
    for (const [n, times] of tally) {
      if (times > agreeing || (times === agreeing && n > perLine)) [perLine, agreeing] = [n, times];
    }
    if (perLine === 0) continue;
    const consistency = agreeing / counts.length;
    if (
      !best ||
      consistency > best.consistency ||
      (consistency === best.consistency && perLine > best.perLine)
    ) {
      best = { delimiter, consistency, perLine };
    }
  }
  return best?.delimiter ?? preferred ?? ',';
}

const NUMBER = /^[-+]?(\d[\d\s,.']*|[.,]\d+)([eE][-+]?\d+)?%?$/;

/** A cell that is a number (`-12`, `+3.5`, `1,234.50`, `12%`), which spreadsheets never run. */
export function isNumeric(cell: string): boolean {
  return NUMBER.test(cell.trim());
}

/**
 * The header heuristic: the first row is a header when every cell is non-empty, none is a
 * number and no two are equal. A file of only text rows is read as having a header.
 */
export function looksLikeHeader(row: readonly string[]): boolean {
  const names = row.map((cell) => cell.trim());
  return (
    names.length > 0 && names.every((n) => n !== '' && !isNumeric(n)) && new Set(names).size === names.length
  );
}

const PLACEHOLDER = /^\s*-+\s*$/;

/**
 * A cell a spreadsheet would run as a formula (CSV injection, OWASP): it starts with `=`, `+`,
 * `-` or `@` (after spaces), or with a tab or carriage return, and is neither a number (`-12`)
 * nor a dash placeholder (`-`, `--`), which spreadsheets show as text.
 */
export function isFormulaCell(cell: string): boolean {
  const first = cell[0];
  if (first === '\t' || first === '\r') return true;
  const lead = cell.trimStart()[0];
  if (lead !== '=' && lead !== '+' && lead !== '-' && lead !== '@') return false;
  return !isNumeric(cell) && !PLACEHOLDER.test(cell);
}
