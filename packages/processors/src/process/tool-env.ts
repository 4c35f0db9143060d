/**
 * What a child tool may see of the environment. A decoder exploited by a hostile file must
 * find no database URL, JWT secret or cloud key in its environment, so nothing is inherited
 * but what finds the tool and sets its language: `PATH`, `LANG` and `LC_ALL`. `TMPDIR` and
 * `HOME` point at a private directory made for the run when the tool needs one (fontconfig,
 * used by pdftoppm, writes a cache under `HOME`), and fixed settings the caller names (such
 * as `AV_LOG_FORCE_NOCOLOR`) are added as given — never copied from `process.env`.
 */

/** Variables copied from the parent when set; everything else in `process.env` stays behind. */
export const INHERITED_VARIABLES: readonly string[] = ['PATH', 'LANG', 'LC_ALL'];

const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * The environment of one tool run: {@link INHERITED_VARIABLES} from `parent`, `fixed`
 * settings, and `TMPDIR`/`HOME` when `tempDir` is given.
 */
export function toolEnvironment(
  fixed: Readonly<Record<string, string>> = {},
  tempDir?: string,
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = { PATH: parent.PATH ?? DEFAULT_PATH };
  for (const name of INHERITED_VARIABLES) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, fixed);
  if (tempDir !== undefined) {
    env.TMPDIR = tempDir;
    env.HOME = tempDir;
  }
  return env;
}
