/**
 * Connectors: the contract (`Connector`, `IntegrationResult`), the declarative definitions,
 * the shared HA runtime, the credentials store, the integrations service and its forge
 * extension, and the built-in connectors.
 *
 * @module
 */
export { errorOf, jsonOf } from './body.js';
export { expectShape, formEncode, readResponse, resolveUrl } from './client.js';
export { type ConnectorOptions, createConnector, parseCredentials } from './connector.js';
export {
  type CredentialCipher,
  type CredentialCipherOptions,
  createCredentialCipher,
} from './credentials/cipher.js';
export { connectorMigrations } from './credentials/migrations.js';
export { type ResealReport, resealCredentials } from './credentials/reseal.js';
export {
  type ConnectorTables,
  type CredentialStore,
  type CredentialStoreOptions,
  createCredentialStore,
  type StoredCredentialsInfo,
} from './credentials/store.js';
export {
  type ActionContext,
  type AuthContext,
  type ConnectorAction,
  type ConnectorClient,
  type ConnectorDefinition,
  type ConnectorRequest,
  type ConnectorResponse,
  defineAction,
  defineConnector,
  secret,
  secretFieldNames,
} from './define.js';
export {
  createDocuSignConnector,
  DOCUSIGN_DEMO_AUTH_SERVER,
  DOCUSIGN_MAX_DOCUMENT_BYTES,
  DOCUSIGN_MULTIPART_ABOVE_BYTES,
  DOCUSIGN_PRODUCTION_AUTH_SERVER,
  type DocuSignConnectorOptions,
  type DocuSignCredentials,
  docusignConnector,
} from './docusign.js';
export {
  createDynamicsConnector,
  DATAVERSE_API_VERSION,
  type DynamicsConnectorOptions,
  type DynamicsCredentials,
  dynamicsConnector,
} from './dynamics.js';
export {
  describeError,
  httpError,
  isTransient,
  isVendorFailure,
  rejected,
  retryAfterSeconds,
  upstream,
  type VendorErrorDetails,
} from './errors.js';
export {
  type ConnectorsExtension,
  type ConnectorsExtensionOptions,
  createConnectorsExtension,
} from './extension.js';
export { type FileSelection, forgeFileSource } from './file-source.js';
export {
  createHaRuntime,
  type HaClock,
  type HaOptions,
  type HaRuntime,
  type HaRuntimeOptions,
  type RegionsOptions,
} from './ha.js';
export type { HttpMethod, HttpPort, VendorResponse } from './http-port.js';
export { MICROSOFT_AUTHORITY_URL } from './microsoft-identity.js';
export {
  createOracleConnector,
  ORACLE_API_VERSION,
  ORACLE_MAX_ATTACHMENT_BYTES,
  type OracleConnectorOptions,
  type OracleCredentials,
  oracleConnector,
} from './oracle.js';
export { builtInConnectors, CONNECTOR_CATALOG } from './registry.js';
export {
  createSalesforceConnector,
  SALESFORCE_API_VERSION,
  SALESFORCE_LOGIN_URL,
  SALESFORCE_MULTIPART_ABOVE_BYTES,
  type SalesforceConnectorOptions,
  type SalesforceCredentials,
  salesforceConnector,
} from './salesforce.js';
export {
  createSapConnector,
  type SapConnectorOptions,
  type SapCredentials,
  sapConnector,
} from './sap.js';
export { createIntegrationService } from './service.js';
export type {
  ActionCallOptions,
  ConnectorSettings,
  CredentialField,
  IntegrationEventName,
  IntegrationHealth,
  IntegrationService,
  IntegrationServiceOptions,
  IntegrationStatus,
  IntegrationSummary,
  TenantScope,
} from './service-types.js';
export {
  createSlackConnector,
  SLACK_API_URL,
  type SlackConnectorOptions,
  type SlackCredentials,
  slackConnector,
} from './slack.js';
export { connectorStepKinds, stepKindName } from './steps.js';
export {
  createTeamsConnector,
  defineTeamsConnector,
  GRAPH_API_URL,
  type TeamsConnectorOptions,
  type TeamsCredentials,
  type TeamsUploadOptions,
  teamsConnector,
} from './teams.js';
export type {
  AttemptContext,
  CallOptions,
  Connector,
  ConnectorEvent,
  ExecuteOptions,
  FallbackFn,
  FileSource,
  HaStats,
  IntegrationResult,
  SendOptions,
  WeightedEndpoint,
} from './types.js';
