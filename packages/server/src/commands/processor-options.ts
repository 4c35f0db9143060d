import { type ForgeConfig, type Processor, warmUpProcessors } from '@fileforge/core';
import { type DefaultProcessorsOptions, defaultProcessors } from '@fileforge/processors';
import type { Logger } from 'pino';

/** Maps the environment (IMAGE_MAX_PIXELS, THUMBNAIL_SIZES, …) to the built-in processors' options. */
export function processorOptionsFromConfig(config: ForgeConfig): DefaultProcessorsOptions {
  const env = config.env;
  return {
    image: {
      maxPixels: env.IMAGE_MAX_PIXELS,
      thumbnails: env.THUMBNAIL_SIZES.map((size) => ({ size, format: env.THUMBNAIL_FORMAT })),
      keepMetadata: env.IMAGE_KEEP_METADATA,
    },
    media: { maxDurationSeconds: env.MEDIA_MAX_DURATION_SECONDS },
  };
}

/**
 * The built-in processors as configured, warmed up (sharp and its codecs loaded), for a
 * process whose work is running jobs (`fileforge worker`): its first job is then no slower
 * than the rest. `fileforge serve` stays lazy instead, so a server whose uploads never include
 * an image never pays libvips' memory. A failed warm-up is logged; the files that need that
 * processor then meet the same error.
 */
export async function warmedUpProcessors(config: ForgeConfig, logger: Logger): Promise<Processor[]> {
  const processors = defaultProcessors(processorOptionsFromConfig(config));
  for (const { processor, error } of await warmUpProcessors(processors))
    logger.warn({ err: error, processor }, 'a processor could not warm up; its first file will');
  return processors;
}
