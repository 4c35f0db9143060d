import { Notice } from '../components.js';
import { formatDate, formatSize } from '../format.js';
import type { Screen } from '../screen.js';
import { AdminNav } from './admin-nav.js';
import { callApi } from './services.js';
import { TableWrap } from './table-wrap.js';

/** One archive as `GET /api/v1/backups` lists it. */
interface Backup {
  name: string;
  bytes: number;
  createdAt: string;
  restoreCommand: string;
  links: { download: string };
}

/** `/admin/backups`: run a backup now, the backups kept, their downloads and the restore command. */
export const adminBackupsScreen: Screen = {
  id: 'admin-backups',
  section: 'admin',
  path: '/admin/backups',
  title: 'Backups',
  // An archive holds every tenant's files: admins of the default tenant only, as the API.
  permission: 'backups:manage',
  async render(ctx) {
    const answer = await callApi<{ items: Backup[] }>(ctx, '/api/v1/backups');
    const items = answer.body?.items ?? [];
    return {
      scripts: ['copy.js', 'admin.js'],
      body: (
        <>
          <h1>Admin: backups</h1>
          <AdminNav current="backups" can={ctx.can} />
          <p>
            A backup holds the catalog and every stored file in one signed archive. Restore one on the server
            with the command shown beside it (the server must be stopped).
          </p>
          {answer.error ? (
            <Notice tone="warn">
              Backups cannot be listed or made from this page on this server ({answer.error}). On the server,{' '}
              <code>fileforge backup</code> makes one and <code>fileforge restore &lt;file&gt;</code> restores
              it.
            </Notice>
          ) : (
            <div class="toolbar">
              <button type="button" class="btn btn-primary" data-admin-action="backup">
                Back up now
              </button>
            </div>
          )}
          {items.length === 0 && !answer.error ? <p>No backups yet.</p> : null}
          {items.length > 0 ? (
            <TableWrap label="Backups">
              <table class="table">
                <caption class="visually-hidden">Backups, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Backup</th>
                    <th scope="col">Made</th>
                    <th scope="col" class="num">
                      Size
                    </th>
                    <th scope="col">Restore command</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((b, i) => (
                    <tr>
                      <td class="break">
                        <a href={b.links.download} download={b.name}>
                          {b.name}
                        </a>
                      </td>
                      <td>{formatDate(b.createdAt)}</td>
                      <td class="num">{formatSize(b.bytes)}</td>
                      <td>
                        <code id={`restore-${i}`} class="break">
                          {b.restoreCommand}
                        </code>{' '}
                        <button type="button" class="btn btn-small" data-copy={`#restore-${i}`}>
                          Copy<span class="visually-hidden"> the restore command of {b.name}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : null}
        </>
      ),
    };
  },
};
