/**
 * A typed builder for workflow definitions: the same JSON a YAML file holds, checked by the
 * compiler as it is written and by `parseWorkflow` when built.
 *
 * @module
 */
import type { z } from 'zod';
import { parseWorkflow, type stepSchema, type triggerSchema, type WorkflowDefinition } from './definition.js';

/** A trigger as written. */
export type TriggerInput = z.input<typeof triggerSchema>;
/** A step's settings besides `uses`, as written. */
export type StepInput = Omit<z.input<typeof stepSchema>, 'uses'>;

/** Builds a {@link WorkflowDefinition}; see {@link defineWorkflow}. */
export interface WorkflowBuilder {
  /** Sets the description. */
  describe(description: string): WorkflowBuilder;
  /** Adds a trigger (call again for more). */
  on(trigger: TriggerInput): WorkflowBuilder;
  /** Adds a step named `name` running the kind `uses`. */
  step(name: string, uses: string, settings?: StepInput): WorkflowBuilder;
  /** Starts the workflow disabled. */
  disabled(): WorkflowBuilder;
  /** Validates and returns the definition (`VALIDATION_FAILED` like `parseWorkflow`). */
  build(): WorkflowDefinition;
}

/**
 * Starts a workflow definition in code.
 *
 * @example
 * ```ts
 * const definition = defineWorkflow('thumbnails')
 *   .on({ event: 'file.processed', filter: { field: 'mime', op: 'glob', value: 'image/*' } })
 *   .step('thumb', 'image.thumbnail', { with: { size: 256 } })
 *   .step('notify', 'notify', { needs: ['thumb'], onError: 'continue', with: { text: 'Done: {{ file.name }}' } })
 *   .build();
 * await forge.workflows.define(definition);
 * ```
 */
export function defineWorkflow(name: string): WorkflowBuilder {
  const triggers: TriggerInput[] = [];
  const steps: Record<string, z.input<typeof stepSchema>> = {};
  let description: string | undefined;
  let enabled = true;
  const builder: WorkflowBuilder = {
    describe(text) {
      description = text;
      return builder;
    },
    on(trigger) {
      triggers.push(trigger);
      return builder;
    },
    step(stepName, uses, settings = {}) {
      steps[stepName] = { uses, ...settings };
      return builder;
    },
    disabled() {
      enabled = false;
      return builder;
    },
    build() {
      return parseWorkflow({
        name,
        ...(description === undefined ? {} : { description }),
        enabled,
        on: triggers.length === 1 ? triggers[0] : triggers,
        steps,
      });
    },
  };
  return builder;
}
