/**
 * A small reader of the repository's Dockerfile: instructions (continuation lines joined,
 * comments dropped) grouped by build stage, enough to check what the image will hold without
 * a container runtime.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './built-packages.js';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The image the stage starts from, with `ARG` defaults substituted. */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** The Dockerfile's global `ARG` defaults and its stages. */
export function readDockerfile(path = join(ROOT, 'Dockerfile')): {
  args: Record<string, string>;
  stages: Stage[];
} {
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const [image = '', , name] = instruction.args.split(' ');
      const from = image.replace(/\$\{?(\w+)\}?/g, (_m, arg: string) => args[arg] ?? '');
      stages.push({ from, name, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name = '', value = ''] = instruction.args.split('=');
      args[name] = value;
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** The instructions of `stage` with `keyword`. */
export const instructionsOf = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
