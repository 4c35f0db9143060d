import { ErrorCode, FileForgeError } from '@fileforge/core';

/** The tools the media module runs. */
export type MediaTool = 'ffmpeg' | 'ffprobe';

/** How a tool run failed; in `details.failure` of the error `runTool` throws. */
export type ToolFailure = 'missing' | 'exit' | 'timeout' | 'aborted' | 'output_limit';

/** A tool failure: `details` say which tool and how; `cause` keeps stderr for logs. */
export function toolError(
  tool: MediaTool,
  code: ErrorCode,
  message: string,
  failure: ToolFailure,
  extra: { cause?: unknown; details?: Record<string, unknown> } = {},
): FileForgeError {
  return new FileForgeError(code, `[fileforge:media] ${message}`, {
    cause: extra.cause,
    details: { tool, failure, ...extra.details },
  });
}

/** A tool that could not be started: missing, or not executable. Says how to install it. */
export function spawnError(tool: MediaTool, command: string, error: NodeJS.ErrnoException): FileForgeError {
  const option = tool === 'ffmpeg' ? 'ffmpegPath' : 'ffprobePath';
  const fix = `apt-get install ffmpeg (or set the "${option}" option)`;
  const message =
    error.code === 'ENOENT'
      ? `${tool} not found: ${fix}`
      : `${tool} could not be started from ${JSON.stringify(command)} (${error.code ?? error.message}): ${fix}`;
  return toolError(tool, ErrorCode.INVALID_CONFIG, message, 'missing', { cause: error });
}

/** The `details.failure` of an error thrown by `runTool`, if it is one. */
export function toolFailureOf(error: unknown): ToolFailure | undefined {
  if (!FileForgeError.is(error)) return undefined;
  const failure = error.details?.failure;
  return typeof failure === 'string' ? (failure as ToolFailure) : undefined;
}
