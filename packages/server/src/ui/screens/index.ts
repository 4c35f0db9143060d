import type { Screen } from '../screen.js';
import { passwordScreen } from './account.js';
import { fileScreen } from './file.js';
import { filesScreen } from './files.js';
import { foldersScreen } from './folders.js';
import { OPERATION_SCREENS } from './operations.js';

/**
 * THE list of web UI screens. Add a screen by writing `screens/<name>.tsx` exporting a
 * `Screen` (or several, for sub-pages) and listing it here; the router gives it the
 * layout, the role guard and the sign-in page. Order matters only where paths overlap
 * (Hono matches the first registered).
 */
export const SCREENS: readonly Screen[] = [
  filesScreen,
  fileScreen,
  foldersScreen,
  passwordScreen,
  ...OPERATION_SCREENS,
];
