import { afterEach, describe, expect, it } from 'vitest';
import { runExample, stopExamples } from '../test-support/run-example.js';

afterEach(stopExamples);

describe('examples/typed-workflow', () => {
  it('runs the workflow built with defineWorkflow on a file: processed, then a 64-pixel thumbnail', async () => {
    const run = await runExample('typed-workflow');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim()) as {
      run: string;
      steps: Array<{ name: string; status: string }>;
      derivatives: Array<{ name: string; mime: string; width: number; height: number }>;
    };
    expect(result.run).toBe('completed');
    expect(result.steps).toMatchObject([
      { name: 'process', status: 'completed' },
      { name: 'thumbnail', status: 'completed' },
    ]);
    // The generated picture is 320 × 200: the thumbnail keeps its aspect ratio.
    expect(result.derivatives).toContainEqual({
      name: 'thumbnail-64.webp',
      mime: 'image/webp',
      width: 64,
      height: 40,
    });
  }, 120_000);
});
