/**
 * The built-in connectors. Adding one = its file + one line in `builtInConnectors`; the
 * service lists it, connects it, and makes each of its actions a workflow step kind.
 *
 * @module
 */
import type { ConnectorDefinition } from './define.js';
import { docusignConnector } from './docusign.js';
import { dynamicsConnector } from './dynamics.js';
import { oracleConnector } from './oracle.js';
import { salesforceConnector } from './salesforce.js';
import { sapConnector } from './sap.js';
import { slackConnector } from './slack.js';
import { teamsConnector } from './teams.js';

/**
 * The seven connectors FileForge ships, in display order, with their names — listed (as not
 * `available`) even before their definition is registered, so `GET /integrations` always shows
 * all seven.
 */
export const CONNECTOR_CATALOG: ReadonlyArray<{ slug: string; name: string }> = [
  { slug: 'salesforce', name: 'Salesforce' },
  { slug: 'dynamics', name: 'Microsoft Dynamics 365' },
  { slug: 'docusign', name: 'DocuSign' },
  { slug: 'slack', name: 'Slack' },
  { slug: 'teams', name: 'Microsoft Teams' },
  { slug: 'sap', name: 'SAP S/4HANA' },
  { slug: 'oracle', name: 'Oracle ERP Cloud' },
];

/** The connector definitions that are implemented (one line per connector). */
export const builtInConnectors: readonly ConnectorDefinition[] = [
  salesforceConnector,
  dynamicsConnector,
  docusignConnector,
  slackConnector,
  teamsConnector,
  sapConnector,
  oracleConnector,
];
