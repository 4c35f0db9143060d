import { spawnSync } from 'node:child_process';

/**
 * Whether a command-line tool a test needs (ffmpeg, pdftoppm) is installed. Under CI
 * (`CI=true`) a missing tool is an error — the suite must not pass by skipping; elsewhere the
 * caller skips and the reason is printed once. (The processors' tests have the same helper;
 * the server's tests do not import their test folder.)
 */
export function hasBinary(name: string, debianPackage?: string): boolean {
  const found = spawnSync(name, ['-version'], { stdio: 'ignore' }).error === undefined;
  if (found) return true;
  const pkg = debianPackage ?? (name === 'pdftoppm' ? 'poppler-utils' : 'ffmpeg');
  const message = `${name} is not installed (Debian: apt-get install ${pkg})`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI must install it (see .ci/run)`);
  console.warn(`Skipping tests that need ${name}: ${message}`);
  return false;
}
