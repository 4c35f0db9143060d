import type { NavItem } from './screen.js';

/**
 * The main navigation, in order. An item shows only to roles holding its permission, so a
 * viewer never sees Admin. Each item's screens are registered in `screens/index.ts`.
 */
export const NAV: readonly NavItem[] = [
  { section: 'files', label: 'Files', href: '/', permission: 'files:read' },
  { section: 'folders', label: 'Folders', href: '/folders', permission: 'sorter:read' },
  { section: 'rules', label: 'Rules', href: '/rules', permission: 'sorter:read' },
  { section: 'review', label: 'Review', href: '/review', permission: 'sorter:read' },
  { section: 'workflows', label: 'Workflows', href: '/workflows', permission: 'workflows:read' },
  { section: 'webhooks', label: 'Webhooks', href: '/webhooks', permission: 'webhooks:read' },
  { section: 'integrations', label: 'Integrations', href: '/integrations', permission: 'integrations:read' },
  { section: 'admin', label: 'Admin', href: '/admin', permission: 'users:manage' },
];
