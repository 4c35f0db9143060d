/**
 * Tools run in their own process group (`detached`), so a kill reaches everything they
 * started. Detached children outlive Node by default: the groups still running when the
 * process exits are killed from an `exit` hook, installed once.
 */

const running = new Set<number>();
let exitHookInstalled = false;

/** SIGKILLs the process group led by `pid`; a group already gone is not an error. */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Remembers a running group, to be killed if Node exits before it ends. */
export function trackGroup(pid: number): void {
  running.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of running) killGroup(group);
  });
}

/** Forgets a group that has ended. */
export function untrackGroup(pid: number): void {
  running.delete(pid);
}
