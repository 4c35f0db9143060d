import type { Screen } from '../screen.js';
import { adminAuditScreen } from './admin-audit.js';
import { adminBackupsScreen } from './admin-backups.js';
import { adminHealthScreen } from './admin-health.js';
import { adminKeysScreen } from './admin-keys.js';
import { adminUsersScreen } from './admin-users.js';
import { integrationScreen, integrationsScreen } from './integrations.js';
import { reviewScreen } from './review.js';
import { rulesScreen } from './rules.js';
import { webhookScreen } from './webhook.js';
import { webhooksScreen } from './webhooks.js';
import { newWorkflowScreen, workflowRunScreen, workflowScreen, workflowsScreen } from './workflows.js';

/**
 * The screens that run FileForge rather than browse files: rules, the review queue,
 * workflows, webhooks, integrations and admin (users, API keys, audit log, backups, system
 * health), in registration order (`/workflows/new` before `/workflows/:id`).
 */
export const OPERATION_SCREENS: readonly Screen[] = [
  rulesScreen,
  reviewScreen,
  workflowsScreen,
  newWorkflowScreen,
  workflowScreen,
  workflowRunScreen,
  webhooksScreen,
  webhookScreen,
  integrationsScreen,
  integrationScreen,
  adminUsersScreen,
  adminKeysScreen,
  adminAuditScreen,
  adminBackupsScreen,
  adminHealthScreen,
];
