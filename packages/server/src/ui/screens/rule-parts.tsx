import type { Condition, FileRecord, Rule } from '@fileforge/core';
import { Badge, Card, FormStatus } from '../components.js';
import { TableWrap } from './table-wrap.js';

/** A condition in one line: `mime in ["application/pdf"]`, `text any "invoice"`, `not (…)`. */
export function conditionText(condition: Condition): string {
  if ('not' in condition) return `not (${conditionText(condition.not)})`;
  if ('conditions' in condition)
    return `${condition.match} of (${condition.conditions.map(conditionText).join('; ')})`;
  if ('algorithm' in condition)
    return `${condition.field} ${condition.algorithm} ${JSON.stringify(condition.value)}`;
  return `${condition.field} ${condition.op}${condition.value === undefined ? '' : ` ${JSON.stringify(condition.value)}`}`;
}

/** What a new rule's editor starts with. */
export const NEW_RULE = {
  id: 'invoices',
  description: 'Supplier invoices',
  category: 'invoices',
  priority: 10,
  conditions: [
    { field: 'mime', op: 'in', value: ['application/pdf'] },
    { field: 'text', algorithm: 'any', value: 'invoice "amount due"' },
  ],
  destination: 'invoices/{created:YYYY}/{created:MM}/{name}{ext}',
};

/** The ordered list of rules; editors get move up/down buttons that renumber priorities. */
export function RuleList({ rules, canEdit, current }: { rules: Rule[]; canEdit: boolean; current?: string }) {
  return (
    <TableWrap label="Rules">
      <table class="table" id="rule-list">
        <caption class="visually-hidden">Rules in the order they are tried</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              #
            </th>
            <th scope="col">Rule</th>
            <th scope="col">Category</th>
            <th scope="col">Destination</th>
            <th scope="col">When</th>
            <th scope="col" class="num">
              Priority
            </th>
            {canEdit ? <th scope="col">Order</th> : null}
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, i) => (
            <tr data-rule-id={rule.id} data-priority={String(rule.priority)}>
              <td class="num" data-position="">
                {i + 1}
              </td>
              <td>
                <a
                  href={`/rules?edit=${encodeURIComponent(rule.id)}`}
                  aria-current={rule.id === current ? 'true' : undefined}
                >
                  {rule.id}
                </a>
                {rule.enabled ? null : (
                  <>
                    {' '}
                    <Badge tone="warn">disabled</Badge>
                  </>
                )}
                {rule.continue ? (
                  <>
                    {' '}
                    <Badge tone="info">continues</Badge>
                  </>
                ) : null}
                {rule.description ? <div class="muted">{rule.description}</div> : null}
              </td>
              <td>{rule.category ?? <span class="muted">— (only moves)</span>}</td>
              <td>
                {rule.destination ? (
                  <code>{rule.destination}</code>
                ) : (
                  <span class="muted">— (only categorises)</span>
                )}
              </td>
              <td>
                {rule.conditions.length === 0 ? (
                  <span class="muted">{rule.match === 'any' ? 'never' : 'every file'}</span>
                ) : (
                  <span>
                    {rule.match} of: {rule.conditions.map(conditionText).join('; ')}
                  </span>
                )}
              </td>
              <td class="num" data-priority-cell="">
                {rule.priority}
              </td>
              {canEdit ? (
                <td class="rule-order">
                  <button
                    type="button"
                    class="btn btn-small"
                    data-move="up"
                    disabled={i === 0}
                    aria-label={`Move ${rule.id} up`}
                  >
                    ↑ Up
                  </button>{' '}
                  <button
                    type="button"
                    class="btn btn-small"
                    data-move="down"
                    disabled={i === rules.length - 1}
                    aria-label={`Move ${rule.id} down`}
                  >
                    ↓ Down
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The editor: one rule as JSON (YAML accepted too); the server's problems are listed under it. */
export function RuleEditor({ rule, isNew }: { rule: unknown; isNew: boolean }) {
  const id = isNew ? '' : (rule as Rule).id;
  return (
    <Card title={isNew ? 'New rule' : `Edit “${id}”`} id="rule-editor-card">
      <form id="rule-editor" class="stack" data-rule-id={id}>
        <label class="field" for="rule-text">
          <span>
            The rule{' '}
            <span class="hint">
              — JSON or YAML; fields in the <a href="/docs">API reference</a> (Rule schema)
            </span>
          </span>
          <textarea
            id="rule-text"
            name="rule"
            rows={16}
            spellcheck={false}
            aria-describedby="rule-problems-heading rule-status"
          >
            {JSON.stringify(rule, null, 2)}
          </textarea>
        </label>
        <h3 id="rule-problems-heading" class="visually-hidden">
          Problems the server found
        </h3>
        <ul id="rule-problems" class="form-error" hidden aria-labelledby="rule-problems-heading" />
        <div class="toolbar">
          <button type="submit" class="btn btn-primary">
            {isNew ? 'Create rule' : 'Save rule'}
          </button>
          {isNew ? null : (
            <button type="button" class="btn btn-danger" id="rule-delete">
              Delete
            </button>
          )}
        </div>
        <FormStatus id="rule-status" />
      </form>
    </Card>
  );
}

/** Choose files and see which rule would file each where, and why (nothing moves). */
export function Simulator({ files, canDraft }: { files: FileRecord[]; canDraft: boolean }) {
  return (
    <Card title="Simulate" id="simulate-card">
      <form id="simulate" class="stack">
        <p class="muted">Shows where the chosen files would go and why. Nothing is moved.</p>
        {files.length === 0 ? (
          <p>No processed files yet: upload some on the Files screen first.</p>
        ) : (
          <fieldset class="simulate-files">
            <legend>Files (newest {files.length})</legend>
            {files.map((file, i) => (
              <label class="check">
                <input type="checkbox" name="fileId" value={file.id} data-name={file.name} checked={i < 5} />{' '}
                {file.name}
              </label>
            ))}
          </fieldset>
        )}
        {canDraft ? (
          <fieldset>
            <legend>Rules to use</legend>
            <label class="check">
              <input type="radio" name="with" value="saved" checked /> The saved rules
            </label>
            <label class="check">
              <input type="radio" name="with" value="draft" /> The saved rules with the editor’s draft
              (updates as you type)
            </label>
          </fieldset>
        ) : null}
        <div class="toolbar">
          <button type="submit" class="btn btn-primary" disabled={files.length === 0}>
            Simulate
          </button>
        </div>
        <FormStatus id="simulate-status" />
      </form>
      <TableWrap label="Simulated plan" id="simulate-result" hidden>
        <table class="table">
          <caption class="visually-hidden">Simulated plan</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Rule</th>
              <th scope="col">Category</th>
              <th scope="col">Would go to</th>
              <th scope="col">Action</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody />
        </table>
      </TableWrap>
    </Card>
  );
}
