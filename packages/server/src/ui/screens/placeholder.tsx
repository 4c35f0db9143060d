import type { Permission } from '../../auth/permissions.js';
import { Notice } from '../components.js';
import type { Screen } from '../screen.js';

/**
 * A screen whose page is still to be written: it holds the nav item's place and says where
 * the same work is done today (the HTTP API). Replace it in `screens/index.ts`.
 */
export function placeholderScreen(
  id: string,
  path: string,
  title: string,
  permission: Permission,
  api: string,
): Screen {
  return {
    id,
    path,
    title,
    permission,
    render: () => ({
      body: (
        <>
          <h1>{title}</h1>
          <Notice>
            This screen is not built yet. The same work is available through the HTTP API at{' '}
            <code>{api}</code> — see the <a href="/docs">API reference</a>.
          </Notice>
        </>
      ),
    }),
  };
}
