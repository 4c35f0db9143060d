/** Bytes per unit: SI units are powers of 1000, IEC units powers of 1024. */
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  pib: 2 ** 50,
};

const SIZE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i;

/**
 * Reads a size as a rule writes it: a number of bytes (`1024`), or a number and a unit —
 * `"5 MB"` is 5 × 10^6 bytes, `"5 MiB"` is 5 × 2^20 (units are case-insensitive: `"5 mb"`).
 * Bare `K`/`M`/`G` are refused because they are ambiguous. Fractions round to whole bytes.
 *
 * @returns the byte count, or `null` when the value is not a size
 * @example parseSize('10 MiB') // 10485760
 */
export function parseSize(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  if (typeof value !== 'string') return null;
  const found = SIZE.exec(value);
  if (!found) return null;
  const unit = (found[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : UNITS[unit];
  if (factor === undefined) return null;
  const bytes = Math.round(Number(found[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : null;
}
