import { ADMIN_SCRIPT } from './client/admin.js';
import { COPY_SCRIPT } from './client/copy.js';
import { INTEGRATIONS_SCRIPT } from './client/integrations.js';
import { REVIEW_SCRIPT } from './client/review.js';
import { RULES_SCRIPT } from './client/rules.js';
import { WEBHOOKS_SCRIPT } from './client/webhooks.js';
import { WORKFLOWS_SCRIPT } from './client/workflows.js';

const js = (body: string) => ({ type: 'text/javascript; charset=utf-8', body });

/** The client scripts of the rules, review, workflows, webhooks, integrations and admin screens. */
export const OPERATION_ASSETS = {
  'rules.js': js(RULES_SCRIPT),
  'review.js': js(REVIEW_SCRIPT),
  'workflows.js': js(WORKFLOWS_SCRIPT),
  'webhooks.js': js(WEBHOOKS_SCRIPT),
  'integrations.js': js(INTEGRATIONS_SCRIPT),
  'admin.js': js(ADMIN_SCRIPT),
  'copy.js': js(COPY_SCRIPT),
};
