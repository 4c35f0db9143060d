import type { Classification, DerivativeRecord, FileRecord } from '@fileforge/core';
import { Badge, Card, Field, FormStatus } from '../components.js';
import { formatDate, formatSize } from '../format.js';
import { derivativeUrl } from './file-items.js';

const CLASSIFICATION_WORDS = {
  decided: ['decided', 'ok'],
  review: ['needs review', 'warn'],
  unclassified: ['not classified', 'neutral'],
} as const;

function decidedByInWords(c: Classification): string {
  const by = c.decidedBy;
  if (!by) return 'Nobody yet.';
  if (by.kind === 'person') return 'A person confirmed or corrected it.';
  if (by.kind === 'rule') return `The rule “${by.ruleId ?? '?'}”.`;
  const score = by.score !== undefined ? ` with confidence ${Math.round(by.score * 100)} %` : '';
  const threshold = by.threshold !== undefined ? ` (needed ${Math.round(by.threshold * 100)} %)` : '';
  return `The learned classifier${score}${threshold}.`;
}

/** The classification with its explanation, and "correct the category" for roles that may. */
export function ClassificationCard({ file, canCorrect }: { file: FileRecord; canCorrect: boolean }) {
  const c = file.classification;
  const [word, tone] = CLASSIFICATION_WORDS[c?.status ?? 'unclassified'];
  return (
    <Card title="Classification" id="classification">
      <dl class="facts">
        <dt>Category</dt>
        <dd id="category">{file.category ?? c?.category ?? <span class="muted">none</span>}</dd>
        <dt>State</dt>
        <dd>
          <Badge tone={tone}>{word}</Badge>
        </dd>
        {c ? (
          <>
            <dt>Decided by</dt>
            <dd>{decidedByInWords(c)}</dd>
            <dt>When</dt>
            <dd>{formatDate(c.decidedAt)}</dd>
          </>
        ) : null}
      </dl>
      {c ? (
        <>
          <h3>Why</h3>
          <p>{c.explanation.summary}</p>
          {c.explanation.rules.length > 0 ? (
            <ul class="explanation">
              {c.explanation.rules.map((rule) => (
                <li>
                  Rule “{rule.ruleId}”: {rule.matched ? 'matched' : 'did not match'}
                  {rule.conditions.length > 0 ? (
                    <ul>
                      {rule.conditions.map((cond) => (
                        <li>
                          {cond.description} — {cond.matched ? 'yes' : 'no'}
                          {cond.words?.length ? ` (words: ${cond.words.join(', ')})` : ''}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          {c.explanation.model ? (
            <p>
              The model suggested {c.explanation.model.category ?? 'nothing'} with confidence{' '}
              {Math.round(c.explanation.model.score * 100)} % (threshold{' '}
              {Math.round(c.explanation.model.threshold * 100)} %)
              {c.explanation.model.terms?.length
                ? `, on the words ${c.explanation.model.terms.join(', ')}`
                : ''}
              .
            </p>
          ) : null}
        </>
      ) : (
        <p class="muted">Not classified yet.</p>
      )}
      {canCorrect ? (
        <form
          class="toolbar"
          data-ff-form=""
          action={`/api/v1/files/${encodeURIComponent(file.id)}/classification`}
          data-method="POST"
          data-ff-done="Category saved."
        >
          <Field label="Correct the category">
            <input name="category" required value={file.category ?? ''} />
          </Field>
          <button type="submit" class="btn">
            Save category
          </button>
          <FormStatus />
        </form>
      ) : null}
    </Card>
  );
}

/** The file's place in the sorted tree, each folder a link into the Folders screen. */
export function TreePlace({ path }: { path: string | null }) {
  if (!path) return <p class="muted">Not filed into the sorted tree yet.</p>;
  const parts = path.split('/');
  return (
    <nav class="breadcrumbs" aria-label="Place in the sorted tree">
      <ol>
        <li>
          <a href="/folders">Sorted tree</a>
        </li>
        {parts.map((part, i) =>
          i < parts.length - 1 ? (
            <li>
              <a href={`/folders?path=${encodeURIComponent(parts.slice(0, i + 1).join('/'))}`}>{part}</a>
            </li>
          ) : (
            <li aria-current="location">{part}</li>
          ),
        )}
      </ol>
    </nav>
  );
}

/** The derivatives (thumbnails, posters, waveforms, page images) with their facts. */
export function DerivativesTable({ derivatives }: { derivatives: DerivativeRecord[] }) {
  if (derivatives.length === 0) return <p class="muted">None.</p>;
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">Derivatives</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Format</th>
            <th scope="col" class="num">
              Size
            </th>
            <th scope="col">Dimensions</th>
          </tr>
        </thead>
        <tbody>
          {derivatives.map((d) => (
            <tr>
              <td>
                <a href={derivativeUrl(d)}>{d.name}</a>
              </td>
              <td>{d.kind}</td>
              <td>{d.mime}</td>
              <td class="num">{formatSize(d.size)}</td>
              <td>{d.width && d.height ? `${d.width} × ${d.height}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One line of a file's history. */
export interface HistoryEntry {
  at: string;
  what: string;
  detail?: string;
  /** Where to read more (a workflow run). */
  href?: string;
}

/** The file's history, newest first. */
export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p class="muted">Nothing recorded yet.</p>;
  return (
    <ol class="history">
      {[...entries]
        .sort((a, b) => b.at.localeCompare(a.at))
        .map((e) => (
          <li>
            <time datetime={e.at}>{formatDate(e.at)}</time> —{' '}
            {e.href ? <a href={e.href}>{e.what}</a> : e.what}
            {e.detail ? <span class="muted"> ({e.detail})</span> : null}
          </li>
        ))}
    </ol>
  );
}
