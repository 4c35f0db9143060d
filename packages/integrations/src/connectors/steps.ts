/**
 * Every connector action as a workflow step kind `connector.<slug>.<action>`: the step's
 * `with` is validated by the action's schema; a file action sends the run's file (or `fileId`,
 * or one of its derivatives by `derivative`), streamed from the forge. A failed call fails the
 * step with the connector's error code; a fallback or cached answer completes it.
 *
 * @module
 */
import { type ErrorCode, FileForgeError, type WorkflowStepKind } from '@fileforge/core';
import { z } from 'zod';
import type { ConnectorDefinition } from './define.js';
import type { IntegrationService } from './service-types.js';

const fileChoice = z.object({
  /** Send this stored file instead of the run's. */
  fileId: z.string().min(1).optional(),
  /** Send this derivative of the file (e.g. a converted PDF) instead of the original. */
  derivative: z.string().min(1).optional(),
});

/** The step kind name of an action. */
export const stepKindName = (slug: string, action: string) => `connector.${slug}.${action}`;

/**
 * The step kinds of `definitions`, calling `service()` (available once the forge started).
 *
 * @example
 * ```yaml
 * steps:
 *   share:
 *     uses: connector.slack.uploadFile
 *     with: { channel: C0123456789, initialComment: "{{ file.name }} processed" }
 * ```
 */
export function connectorStepKinds(
  definitions: readonly ConnectorDefinition[],
  service: () => IntegrationService,
): WorkflowStepKind[] {
  return definitions.flatMap((definition) =>
    Object.entries(definition.actions).map(([name, action]): WorkflowStepKind => {
      const options = action.file ? z.intersection(action.input, fileChoice) : action.input;
      return {
        name: stepKindName(definition.slug, name),
        options,
        // Each attempt has its own deadline and the retries are bounded: no outer budget that
        // would cut a Retry-After wait short.
        timeoutMs: null,
        async run(context, parsed) {
          let input = parsed as Record<string, unknown>;
          let fileId: string | undefined;
          let derivative: string | undefined;
          if (action.file) {
            ({ fileId, derivative, ...input } = input as z.output<typeof fileChoice> &
              Record<string, unknown>);
            fileId ??= context.fileId ?? undefined;
          }
          const result = await service().action(definition.slug, name, input, {
            tenant: context.tenant,
            signal: context.signal,
            ...(fileId ? { fileId } : {}),
            ...(derivative ? { derivative } : {}),
          });
          if (!result.success) {
            const error = result.error!;
            throw new FileForgeError(error.code as ErrorCode, error.message, {
              details: { ...error.details, attempt: result.attempt },
            });
          }
          const { error: _none, ...output } = result;
          return output;
        },
      };
    }),
  );
}
