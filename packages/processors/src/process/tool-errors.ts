import { type ErrorCode, FileForgeError } from '@fileforge/core';

/** The system tools FileForge runs. */
export type ToolName = 'ffmpeg' | 'ffprobe' | 'pdftoppm';

/** How a tool run failed; in `details.failure` of the error `runTool` throws. */
export type ToolFailure = 'missing' | 'exit' | 'timeout' | 'aborted' | 'output_limit';

/** Per tool: the subsystem its messages name, how to install it, and the option that points at it. */
const TOOLS: Readonly<Record<ToolName, { scope: string; install: string; option: string }>> = {
  ffmpeg: { scope: 'media', install: 'apt-get install ffmpeg', option: 'ffmpegPath' },
  ffprobe: { scope: 'media', install: 'apt-get install ffmpeg', option: 'ffprobePath' },
  pdftoppm: { scope: 'pdf', install: 'apt-get install poppler-utils', option: 'pdftoppmPath' },
};

/** A tool failure: `details` say which tool and how; `cause` keeps stderr for logs. */
export function toolError(
  tool: ToolName,
  code: ErrorCode,
  message: string,
  failure: ToolFailure,
  extra: { cause?: unknown; details?: Record<string, unknown> } = {},
): FileForgeError {
  return new FileForgeError(code, `[fileforge:${TOOLS[tool].scope}] ${message}`, {
    cause: extra.cause,
    details: { tool, failure, ...extra.details },
  });
}

/** A tool that could not be started: missing, or not executable. Says how to install it. */
export function spawnError(tool: ToolName, command: string, error: NodeJS.ErrnoException): FileForgeError {
  const { install, option } = TOOLS[tool];
  const fix = `${install} (or set the "${option}" option)`;
  const message =
    error.code === 'ENOENT'
      ? `${tool} not found: ${fix}`
      : `${tool} could not be started from ${JSON.stringify(command)} (${error.code ?? error.message}): ${fix}`;
  return toolError(tool, 'INVALID_CONFIG', message, 'missing', { cause: error });
}

/** The `details.failure` of an error thrown by `runTool`, if it is one. */
export function toolFailureOf(error: unknown): ToolFailure | undefined {
  if (!FileForgeError.is(error)) return undefined;
  const failure = error.details?.failure;
  return typeof failure === 'string' ? (failure as ToolFailure) : undefined;
}
