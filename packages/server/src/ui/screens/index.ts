import type { Screen } from '../screen.js';
import { placeholderScreen } from './placeholder.js';

/**
 * THE list of web UI screens. Add a screen by writing `screens/<name>.tsx` exporting a
 * `Screen` (or several, for sub-pages) and listing it here; the router gives it the
 * layout, the role guard and the sign-in page. Order matters only where paths overlap
 * (Hono matches the first registered).
 */
export const SCREENS: readonly Screen[] = [
  placeholderScreen('files', '/', 'Files', 'files:read', 'GET /api/v1/files'),
  placeholderScreen('folders', '/folders', 'Folders', 'sorter:read', 'GET /api/v1/folders'),
  placeholderScreen('rules', '/rules', 'Rules', 'sorter:read', '/api/v1/sorter/rules'),
  placeholderScreen('review', '/review', 'Review queue', 'sorter:read', 'GET /api/v1/review'),
  placeholderScreen('workflows', '/workflows', 'Workflows', 'workflows:read', '/api/v1/workflows'),
  placeholderScreen('webhooks', '/webhooks', 'Webhooks', 'webhooks:read', '/api/v1/integrations/webhooks'),
  placeholderScreen(
    'integrations',
    '/integrations',
    'Integrations',
    'integrations:read',
    '/api/v1/integrations',
  ),
  placeholderScreen(
    'admin',
    '/admin',
    'Admin',
    'users:manage',
    '/api/v1/users, /api/v1/api-keys, /api/v1/audit',
  ),
];
