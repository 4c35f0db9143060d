/**
 * The job-queue conformance suite, unchanged, on BullMQ against the machine's Redis
 * (REDIS_TEST_URL). Each test gets a key prefix of its own, deleted afterwards (never a flush).
 */
import { createBullmqQueue } from '@fileforge/core';
import { type ConformanceJobs, describeJobQueue } from '@fileforge/core/testing';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { describe } from 'vitest';
import { deleteRedisPrefix, testPrefix } from './support/redis.js';

const redis = await requireService('Redis', REDIS_TEST_URL);

describe.skipIf(!redis)('BullMQ on Redis', () => {
  describeJobQueue('bullmq on redis', async () => {
    const prefix = testPrefix();
    return {
      create: ({ concurrency, maxAttempts, retryDelayMs, pollIntervalMs, leaseMs }) =>
        createBullmqQueue<ConformanceJobs>({
          url: REDIS_TEST_URL,
          prefix,
          concurrency,
          maxAttempts,
          backoff: () => retryDelayMs,
          pollIntervalMs,
          leaseMs,
        }),
      teardown: () => deleteRedisPrefix(REDIS_TEST_URL, prefix),
    };
  });
});
