/** True when a FileForge server answers `/health` at `url` within three seconds. */
export async function serverAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
}
