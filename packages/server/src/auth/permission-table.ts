import { ROLES } from '@fileforge/core';
import { type Permission, ROLE_GRANTS, ROUTE_PERMISSIONS } from './permissions.js';

const mark = (permission: Permission, role: (typeof ROLES)[number]) => {
  if (permission === 'public') return 'anyone';
  return ROLE_GRANTS[role].includes(permission)
    ? permission === 'files:write' && role === 'editor'
      ? 'own files'
      : 'yes'
    : '—';
};

/**
 * Renders the permission table as Markdown: one row per `/api/v1` route with what each role
 * may do. `docs/security-guide.md` embeds this output, and a test keeps the two identical.
 */
export function renderPermissionTable(): string {
  const header = `| route | permission | ${ROLES.join(' | ')} |\n|---|---|${ROLES.map(() => '---|').join('')}`;
  const rows = Object.entries(ROUTE_PERMISSIONS).map(
    ([route, permission]) =>
      `| \`${route}\` | \`${permission}\` | ${ROLES.map((role) => mark(permission as Permission, role)).join(' | ')} |`,
  );
  return [header, ...rows].join('\n');
}
