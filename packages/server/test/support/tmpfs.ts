/** tmpfs mounts for tests that need a real filesystem boundary (a full disk, a mount point). */
import { execFileSync } from 'node:child_process';
import { afterEach } from 'vitest';

/**
 * Mounts small tmpfs folders for one test file; each is lazily unmounted after every test
 * (a server may still hold files there). `mount(dir, size)` answers why it cannot, or null.
 */
export function tmpfsMounts() {
  const mounted: string[] = [];
  afterEach(() => {
    for (const dir of mounted.splice(0)) execFileSync('umount', ['-l', dir]);
  });
  return function mount(dir: string, size: string): string | null {
    if (process.getuid?.() !== 0) return 'not running as root';
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
      mounted.push(dir);
      return null;
    } catch (error) {
      return `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
    }
  };
}
