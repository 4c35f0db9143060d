import {
  assertEnginesAvailable,
  type ForgeConfig,
  forgeOptionsFromConfig,
  loadConfig,
} from '@fileforge/core';

/**
 * The configuration every CLI command starts from: the environment, validated, with an engine
 * this version cannot open (a `DATABASE_URL`, `REDIS_URL` or S3 location it does not understand)
 * refused before any file is created, with the same message whichever command runs.
 */
export function loadCliConfig(): ForgeConfig {
  const config = loadConfig(process.env);
  assertEnginesAvailable(forgeOptionsFromConfig(config));
  return config;
}
