import {
  assertEnginesAvailable,
  type ForgeConfig,
  forgeOptionsFromConfig,
  loadConfig,
} from '@fileforge/core';

/**
 * The configuration every CLI command starts from: the environment, validated, with an engine
 * this version cannot open (`DATABASE_URL=postgresql://…`, `REDIS_URL`, `AWS_BUCKET_NAME`)
 * refused before any file is created, with the same message whichever command runs.
 */
export function loadCliConfig(): ForgeConfig {
  const config = loadConfig(process.env);
  assertEnginesAvailable(forgeOptionsFromConfig(config));
  return config;
}
