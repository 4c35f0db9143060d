export { type Env, envSchema } from './env-schema.js';
export { type ForgeConfig, loadConfig } from './load.js';
