import type { ForgeConfig } from '@fileforge/core';
import type { DefaultProcessorsOptions } from '@fileforge/processors';

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
