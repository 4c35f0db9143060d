/** A one-line progress bar for a terminal; see {@link createProgressBar}. */
export interface ProgressBar {
  update(done: number): void;
  /** Clears the line so the summary that follows starts clean. */
  done(): void;
}

/**
 * A progress bar redrawn in place on `stream` (`[#####-----] 512/1000 moving`), at most every
 * `intervalMs`. Only for terminals: callers print plain lines when the output is a pipe.
 */
export function createProgressBar(
  stream: NodeJS.WriteStream,
  total: number,
  label: string,
  options: { width?: number; intervalMs?: number; now?: () => number } = {},
): ProgressBar {
  const width = options.width ?? 30;
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  let last = 0;
  const draw = (done: number) => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`);
  };
  return {
    update(done) {
      const t = now();
      if (done < total && t - last < intervalMs) return;
      last = t;
      draw(done);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}
