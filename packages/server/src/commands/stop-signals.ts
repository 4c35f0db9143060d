/** A long-running command's stop request (SIGTERM or SIGINT), heard from the moment it starts. */
export interface StopSignals {
  /** Resolves with the first SIGTERM or SIGINT received since {@link listenForStop} was called. */
  readonly received: Promise<NodeJS.Signals>;
  /** Stops listening (a later signal has its default effect again). */
  dispose(): void;
}

/**
 * Listens for SIGTERM and SIGINT before a command starts anything, so a stop request that
 * arrives while it is still starting (a supervisor stopping a slow start, a test stopping a
 * server as soon as it answers) is kept and honoured gracefully once the command is up, rather
 * than killing the process halfway through with the signal's default action. The first signal
 * is taken; a second one, during a shutdown that takes too long, has its default effect.
 */
export function listenForStop(): StopSignals {
  let resolve!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((r) => {
    resolve = r;
  });
  const dispose = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  function onSignal(signal: NodeJS.Signals) {
    dispose();
    resolve(signal);
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { received, dispose };
}
