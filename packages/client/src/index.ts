/**
 * `@fileforge/client`: the typed HTTP client for a FileForge server, for Node 20+ and
 * browsers. Start with {@link createClient}.
 * @module
 * @document ../README.md
 */
export type {
  ApiKey,
  CreatedApiKey,
  Derivative,
  FileList,
  FileListQuery,
  FileRecord,
  FileStatus,
  IntegrationSummary,
  NewApiKey,
  Rule,
  Session,
  SortPlan,
  User,
  WebhookSubscription,
  WebhookWithSecret,
  Workflow,
  WorkflowDefinition,
  WorkflowRun,
} from './api-types.js';
export { type ClientOptions, createClient, type FileForgeClient } from './create-client.js';
export { FileForgeClientError, type FileForgeClientErrorOptions, isFileForgeClientError } from './errors.js';
export type { components, paths } from './generated/openapi.js';
export type { ApiKeysApi, AuthApi } from './resources/auth.js';
export type {
  CallOptions,
  FileIterable,
  FileListOptions,
  FilesApi,
  UploadOptions,
  WaitForOptions,
} from './resources/files.js';
export type { ConnectOptions, IntegrationActionCall, IntegrationsApi } from './resources/integrations.js';
export type { RulesApi } from './resources/rules.js';
export type { SorterApi, SortRequest } from './resources/sorter.js';
export type { WebhookCreate, WebhookPatch, WebhooksApi } from './resources/webhooks.js';
export type { StartWorkflowRun, WorkflowsApi } from './resources/workflows.js';
export type { RetryOptions } from './retry.js';
export type { ClientAuthOptions, LoginCredentials } from './session.js';
export type { UploadProgress, UploadSource } from './upload-body.js';

/** The version of this package. */
export const CLIENT_VERSION = '0.1.0';
