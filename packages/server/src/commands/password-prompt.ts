/**
 * How `fileforge` commands read a password: from FILEFORGE_PASSWORD, else typed at a terminal
 * with echo off (nothing shown, not even stars), else the first line of piped standard input.
 *
 * @module
 */
import { createInterface } from 'node:readline/promises';
import { ErrorCode, FileForgeError } from '@fileforge/core';

/** Options for {@link readPassword}. */
export interface ReadPasswordOptions {
  /** At a terminal, ask twice and refuse when the two differ (for a new password). @default false */
  confirm?: boolean;
}

/**
 * The password: FILEFORGE_PASSWORD when set; typed at the terminal (prompt on stderr, echo
 * off) when standard input is one; otherwise the first line of standard input, so
 * `printf '%s\n' "$PW" | fileforge users create …` works in scripts.
 */
export async function readPassword(options: ReadPasswordOptions = {}): Promise<string> {
  if (process.env.FILEFORGE_PASSWORD) return process.env.FILEFORGE_PASSWORD;
  if (!process.stdin.isTTY) return readFirstLine(process.stdin);
  const password = await typeHidden(process.stdin, process.stderr, 'Password: ');
  if (options.confirm) {
    const again = await typeHidden(process.stdin, process.stderr, 'Password (again): ');
    if (again !== password)
      throw new FileForgeError(
        ErrorCode.VALIDATION_FAILED,
        'fileforge: the two passwords differ; nothing was changed',
      );
  }
  return password;
}

async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  const rl = createInterface({ input, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

/**
 * Reads one line from a terminal in raw mode, so the terminal echoes nothing: Enter ends it,
 * Backspace removes the last character, Ctrl-C cancels (exit 1, nothing changed), Ctrl-D ends an empty line.
 */
export function typeHidden(
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.off('error', finish);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      const chars = [...chunk.toString('utf8')];
      for (const [i, char] of chars.entries()) {
        if (char === '\r' || char === '\n' || (char === '\u0004' && typed === '')) {
          // Typed ahead (the confirmation, say): left for the next read.
          const rest = chars.slice(i + 1).join('');
          finish();
          if (rest) input.unshift(Buffer.from(rest));
          return;
        }
        if (char === '\u0003')
          return finish(new FileForgeError(ErrorCode.ABORTED, 'fileforge: cancelled; nothing was changed'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    input.on('data', onData);
    input.on('error', finish);
  });
}
