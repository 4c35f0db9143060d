import { CORE_SCRIPT } from './client/core.js';
import { FILE_SCRIPT } from './client/file.js';
import { FILES_SCRIPT } from './client/files.js';
import { SIGN_IN_SCRIPT } from './client/sign-in.js';
import { OPERATION_ASSETS } from './operation-assets.js';
import { STYLESHEET } from './styles.js';
import { FILES_STYLES } from './styles-files.js';
import { OPERATION_STYLES } from './styles-operations.js';

/** One static file of the web UI, served at `/assets/<name>`. */
export interface UiAsset {
  type: string;
  body: string;
}

const js = (body: string): UiAsset => ({ type: 'text/javascript; charset=utf-8', body });

/**
 * Every stylesheet and client script of the web UI, by name. A screen lists the scripts it
 * needs in its `ScreenPage.scripts`; add a new script here. They are strings in the package
 * (no front-end build), plain ES2020 run as they are.
 */
export const UI_ASSETS: Record<string, UiAsset> = {
  'app.css': { type: 'text/css; charset=utf-8', body: STYLESHEET + FILES_STYLES + OPERATION_STYLES },
  'core.js': js(CORE_SCRIPT),
  'sign-in.js': js(SIGN_IN_SCRIPT),
  ...OPERATION_ASSETS,
  'files.js': js(FILES_SCRIPT),
  'file.js': js(FILE_SCRIPT),
};
