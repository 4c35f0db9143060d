import { afterEach, describe, expect, it } from 'vitest';
import { runExample, stopExamples } from '../test-support/run-example.js';

afterEach(stopExamples);

describe('examples/custom-processor', () => {
  it('registers a processor for .custom files and prints what it recorded', async () => {
    const run = await runExample('custom-processor');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({
      status: 'processed',
      custom: { version: 2, records: 3, result: 'processed' },
    });
  });
});
