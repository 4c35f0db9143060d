/**
 * FileForge integrations: the resilience primitives (re-exported from core), the HTTP client
 * with its SSRF guard, Standard-Webhooks-signed webhooks, and the enterprise connectors
 * (Salesforce, Dynamics 365, DocuSign, Slack, Teams, SAP, Oracle ERP).
 *
 * @module
 */
export {
  backoffDelay,
  isRetryableError,
  type RetryContext,
  type RetryOptions,
  retry,
  TimeoutError,
  withTimeout,
} from '@fileforge/core';
