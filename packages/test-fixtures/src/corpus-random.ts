/**
 * The seeded randomness and the shared vocabulary (people, companies, places, office noise)
 * the corpus templates draw from. Everything flows from one `Rng`, so a seed gives the same
 * documents on every machine.
 */

/** A seeded source of choices. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `k` distinct items in random order. */
  some<T>(items: readonly T[], k: number): T[];
}

/** Splits a `|`-separated list (keeps long vocabularies compact). */
export const list = (s: string): readonly string[] => s.split('|');

/** mulberry32: small, fast and good enough to vary test documents. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const some = <T>(items: readonly T[], k: number): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, Math.min(k, copy.length));
  };
  return { next, int, pick, chance: (p) => next() < p, some };
}

export const FIRST = list(
  'Jane|John|Maria|Ahmed|Li|Sofia|Lukas|Emma|Noah|Olivia|Priya|Tomasz|Chloé|Mateo|Aisha|Hannah|Yuki|Oliver|Fatima|Erik|Grace|Diego|Anna|Kwame',
);
export const LAST = list(
  'Doe|Smith|García|Khan|Wei|Rossi|Müller|Johnson|Brown|Patel|Nowak|Dubois|Silva|Okafor|Schmidt|Tanaka|Wilson|Haddad|Larsen|Clarke|Moreno|Jensen',
);
const COMPANY_A = list(
  'Acme|Northwind|Blue Harbor|Greenfield|Brightline|Oakridge|Silverstone|Redwood|Nordlicht|Summit|Crescent|Ironbridge|Lakeside|Pioneer|Maple & Finch',
);
const COMPANY_B = list(
  'Ltd|GmbH|Consulting|Traders|Logistics|Software|Studio|Partners|Supplies|Facilities|Media|Engineering|Holdings',
);
export const CITIES = list('London|Berlin|Lyon|Madrid|Dublin|Oslo|Toronto|Austin|Leeds|Porto|Gdańsk');
const STREETS = list('High Street|Market Road|Station Lane|Park Avenue|Mill Street|Harbour Way');
export const MONTHS = list(
  'January|February|March|April|May|June|July|August|September|October|November|December',
);

/** Office noise every kind of document may carry, so no single word gives a category away. */
const NOISE = list(
  'Please contact us if you have any questions.|Confidential.|Thank you.|Kind regards,|Printed on recycled paper.|This document was generated electronically.|See attached.|Draft — do not circulate.|Updated version, please discard the previous one.|Sent from my phone.|For internal use only.|Please keep a copy for your records.',
);

export const person = (r: Rng) => `${r.pick(FIRST)} ${r.pick(LAST)}`;
export const company = (r: Rng) => `${r.pick(COMPANY_A)} ${r.pick(COMPANY_B)}`;
export const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A date in 2024–2026, in one of the spellings people use. */
export function date(r: Rng): string {
  const y = r.int(2024, 2026);
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  switch (r.int(0, 3)) {
    case 0:
      return `${y}-${pad(m, 2)}-${pad(d, 2)}`;
    case 1:
      return `${d} ${MONTHS[m - 1]} ${y}`;
    case 2:
      return `${pad(d, 2)}/${pad(m, 2)}/${y}`;
    default:
      return `${MONTHS[m - 1]} ${d}, ${y}`;
  }
}

/** An amount with two decimals and a currency, e.g. `€1,250.00`. */
export function money(r: Rng, min: number, max: number): string {
  const value = r.int(min * 100, max * 100) / 100;
  const text = value.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${r.pick(['€', '£', '$', 'EUR ', 'USD '])}${text}`;
}

export function address(r: Rng): string {
  return `${r.int(1, 220)} ${r.pick(STREETS)}, ${r.pick(CITIES)}`;
}

export function contact(r: Rng, name: string): string {
  const user = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .replace(' ', '.');
  return r.chance(0.5)
    ? `${user}@example.com · +44 ${r.int(1000, 9999)} ${r.int(100000, 999999)}`
    : `Email: ${user}@mail.example | Phone: 0${r.int(100, 999)} ${r.int(1000000, 9999999)}`;
}

/** Zero to two noise lines. */
export function noise(r: Rng): string[] {
  return r.some(NOISE, r.int(0, 2));
}

/** Capitalises the first letter (for generated sentences). */
export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
