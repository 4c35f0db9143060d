import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Peak resident set size (`VmHWM`, the kernel's high-water mark) of a process in bytes, or
 * undefined where `/proc` is missing or the process is gone.
 */
export function peakRssOf(pid: number | 'self'): number | undefined {
  return statusBytes(pid, 'VmHWM');
}

/** Current resident set size (`VmRSS`) of a process in bytes, or undefined (see {@link peakRssOf}). */
export function rssOf(pid: number | 'self'): number | undefined {
  return statusBytes(pid, 'VmRSS');
}

function statusBytes(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads another process's peak RSS a few times and keeps the largest, so a reading taken
 * while the kernel is still accounting the last pages is not the one reported.
 */
export async function pollPeakRss(pid: number, reads = 5, intervalMs = 50): Promise<number> {
  let peak = 0;
  for (let i = 0; i < reads; i++) {
    peak = Math.max(peak, peakRssOf(pid) ?? 0);
    if (i < reads - 1) await sleep(intervalMs);
  }
  if (peak === 0) throw new Error(`[bench:rss] Cannot read /proc/${pid}/status (Linux only)`);
  return peak;
}
