import { CORE_SCRIPT } from './client/core.js';
import { SIGN_IN_SCRIPT } from './client/sign-in.js';
import { STYLESHEET } from './styles.js';

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
  'app.css': { type: 'text/css; charset=utf-8', body: STYLESHEET },
  'core.js': js(CORE_SCRIPT),
  'sign-in.js': js(SIGN_IN_SCRIPT),
};
