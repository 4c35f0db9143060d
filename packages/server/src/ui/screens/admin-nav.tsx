import type { Permission } from '../../auth/permissions.js';

const PAGES: readonly { id: string; href: string; label: string; permission: Permission }[] = [
  { id: 'users', href: '/admin', label: 'Users', permission: 'users:manage' },
  { id: 'keys', href: '/admin/keys', label: 'API keys', permission: 'keys:manage' },
  { id: 'audit', href: '/admin/audit', label: 'Audit log', permission: 'audit:read' },
  { id: 'backups', href: '/admin/backups', label: 'Backups', permission: 'backups:manage' },
  { id: 'health', href: '/admin/health', label: 'System health', permission: 'users:manage' },
];

/** The admin screens' own navigation (a second `nav` landmark, labelled "Admin"). */
export function AdminNav({ current, can }: { current: string; can: (p: Permission) => boolean }) {
  return (
    <nav class="admin-nav" aria-label="Admin">
      <ul>
        {PAGES.filter((p) => can(p.permission)).map((p) => (
          <li>
            <a href={p.href} aria-current={p.id === current ? 'page' : undefined}>
              {p.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
