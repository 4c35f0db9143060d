import type { FileRecord } from '@fileforge/core';
import { Badge, Notice } from '../components.js';
import type { Screen } from '../screen.js';

/** The model's guess recorded on a file waiting for review, if it had one. */
function guessOf(file: FileRecord): {
  category: string | null;
  score?: number;
  threshold?: number;
  summary?: string;
} {
  const explanation = (file.classification?.explanation ?? {}) as {
    summary?: string;
    model?: { category?: string | null; score?: number; threshold?: number };
  };
  return {
    category: explanation.model?.category ?? file.classification?.category ?? null,
    ...(explanation.model?.score === undefined ? {} : { score: explanation.model.score }),
    ...(explanation.model?.threshold === undefined ? {} : { threshold: explanation.model.threshold }),
    ...(explanation.summary ? { summary: explanation.summary } : {}),
  };
}

const percent = (n: number) => `${Math.round(n * 100)} %`;

/** One file of the queue: its guess and why, and (for editors) confirm or correct. */
function ReviewItem({ file, canDecide }: { file: FileRecord; canDecide: boolean }) {
  const guess = guessOf(file);
  const inputId = `category-${file.id}`;
  return (
    <li class="card review-item" data-review-item="" data-file-id={file.id} data-file-name={file.name}>
      <h2 class="review-name">
        <a href={`/files/${file.id}`}>{file.name}</a>
      </h2>
      <p>
        {guess.category ? (
          <>
            The classifier guesses <strong>{guess.category}</strong>
            {guess.score === undefined ? null : (
              <>
                {' '}
                with {percent(guess.score)} confidence
                {guess.threshold === undefined ? null : (
                  <> (it decides alone from {percent(guess.threshold)})</>
                )}
              </>
            )}
            .
          </>
        ) : (
          <>The classifier has no guess for this file.</>
        )}{' '}
        <Badge tone="warn">needs review</Badge>
      </p>
      {guess.summary ? <p class="muted review-why">{guess.summary}</p> : null}
      {canDecide ? (
        <form class="toolbar" data-review-form="" aria-label={`Decide the category of ${file.name}`}>
          {guess.category ? (
            <button type="submit" class="btn btn-primary" name="confirm" value={guess.category}>
              Confirm “{guess.category}”
            </button>
          ) : null}
          <label class="field" for={inputId}>
            <span>{guess.category ? 'Or the right category' : 'Category'}</span>
            <input id={inputId} name="category" list="known-categories" autocomplete="off" maxlength={200} />
          </label>
          <button type="submit" class="btn" name="correct">
            {guess.category ? 'Correct' : 'File it'}
          </button>
          <p class="form-status" role="status" data-review-status="" />
        </form>
      ) : null}
    </li>
  );
}

/** `/review`: the files the classifier was unsure of; editors confirm or correct each in one click. */
export const reviewScreen: Screen = {
  id: 'review',
  path: '/review',
  title: 'Review queue',
  permission: 'sorter:read',
  async render({ c, principal, services, can }) {
    const cursor = c.req.query('cursor');
    const [page, model] = await Promise.all([
      services.forge.sorter.review(principal.tenant, { limit: 50, ...(cursor ? { cursor } : {}) }),
      services.forge.sorter.model(principal.tenant),
    ]);
    const canDecide = can('sorter:write');
    const categories = new Set(model?.categories ?? []);
    for (const file of page.items) {
      const guess = guessOf(file).category;
      if (guess) categories.add(guess);
    }
    const n = page.items.length;
    return {
      scripts: canDecide ? ['review.js'] : [],
      body: (
        <>
          <h1 id="review-heading" tabindex={-1}>
            Review queue
          </h1>
          <p>
            Files the classifier was not sure enough about to file alone.{' '}
            {canDecide
              ? 'Confirm its guess or give the right category: each answer is a label it learns from.'
              : 'Editors confirm or correct them; you can read the queue.'}
          </p>
          <div class="toolbar">
            <p id="review-count" class="spacer">
              {n === 0
                ? 'No files are waiting for review.'
                : `${n}${page.nextCursor ? '+' : ''} file${n === 1 ? '' : 's'} waiting for review.`}
            </p>
            {canDecide ? (
              <button type="button" class="btn" id="review-train">
                Retrain now
              </button>
            ) : null}
          </div>
          {model ? (
            <p class="muted">
              The classifier knows {model.categories.join(', ')} ({model.labelCount} labels
              {model.newLabels ? `, ${model.newLabels} new since it last trained` : ''}).
            </p>
          ) : (
            <Notice>
              No classifier model yet: confirm or correct categories on file pages to train one.
            </Notice>
          )}
          <datalist id="known-categories">
            {[...categories].sort().map((category) => (
              <option value={category} />
            ))}
          </datalist>
          <ul id="review-queue" class="stack review-queue" aria-labelledby="review-heading">
            {page.items.map((file) => (
              <ReviewItem file={file} canDecide={canDecide} />
            ))}
          </ul>
          <p id="review-empty" hidden={n > 0}>
            Nothing to review. New files the classifier is unsure of appear here.
          </p>
          {page.nextCursor ? (
            <nav class="pager" aria-label="Review queue pages">
              <a class="btn" href={`/review?cursor=${encodeURIComponent(page.nextCursor)}`}>
                Next page
              </a>
            </nav>
          ) : null}
        </>
      ),
    };
  },
};
