/**
 * Types of the API read from the generated OpenAPI types: per-operation query, path, body and
 * success-response types, and names for the resources the client returns.
 * @module
 */
import type { components, paths } from './generated/openapi.js';

/** Every documented path of the API. */
export type ApiPath = keyof paths;

/** HTTP methods the client calls, in the generated types' spelling. */
export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The operation `method` on `path`. */
export type Operation<P extends ApiPath, M extends ApiMethod> = NonNullable<paths[P][M]>;

type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : undefined;

/** The JSON a successful (2xx) answer to the operation carries; `undefined` for 204. */
export type SuccessBody<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | 204>]> : never;

/** The query parameters of the operation. */
export type QueryOf<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The path parameters of the operation. */
export type PathParamsOf<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { parameters: { path?: infer X } } ? NonNullable<X> : never;

/** The JSON body of the operation. */
export type JsonBodyOf<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { requestBody?: infer R }
    ? [NonNullable<R>] extends [never]
      ? never
      : NonNullable<R> extends { content: { 'application/json': infer B } }
        ? B
        : never
    : never;

type Schemas = components['schemas'];

/** A stored file's record. */
export type FileRecord = Schemas['File'];
/** The processing states of a file. */
export type FileStatus = FileRecord['status'];
/** A page of files. */
export type FileList = Schemas['FileList'];
/** Filters of `GET /api/v1/files` (the cursor and page size included). */
export type FileListQuery = QueryOf<'/api/v1/files', 'get'>;
/** A derivative (thumbnail, preview, extracted text…) of a file. */
export type Derivative = Schemas['Derivative'];
/** A sorter rule. */
export type Rule = Schemas['Rule'];
/** Where the sorter would put files: the result of a simulation. */
export type SortPlan = Schemas['SortPlan'];
/** A stored workflow. */
export type Workflow = Schemas['Workflow'];
/** A workflow's definition (its steps). */
export type WorkflowDefinition = Schemas['WorkflowDefinition'];
/** One run of a workflow. */
export type WorkflowRun = Schemas['WorkflowRun'];
/** A webhook subscription (never its secret). */
export type WebhookSubscription = Schemas['WebhookSubscription'];
/** A webhook subscription with its signing secret (create and rotate only). */
export type WebhookWithSecret = Schemas['WebhookWithSecret'];
/** A connector as listed. */
export type IntegrationSummary = Schemas['IntegrationSummary'];
/** A logged-in session. */
export type Session = Schemas['Session'];
/** A user as the API shows it. */
export type User = Schemas['User'];
/** An API key (never its secret). */
export type ApiKey = Schemas['ApiKey'];
/** A new API key with its secret, shown once. */
export type CreatedApiKey = Schemas['CreatedApiKey'];
/** Fields of a new API key. */
export type NewApiKey = Schemas['NewApiKey'];
