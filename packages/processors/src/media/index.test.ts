import { describe, expect, it, vi } from 'vitest';

const spawn = vi.hoisted(() => vi.fn());
vi.mock('node:child_process', async (original) => ({ ...(await original<object>()), spawn }));
vi.mock('sharp', () => {
  throw new Error('@fileforge/processors/media must not load sharp');
});

describe('@fileforge/processors/media', () => {
  it('starts no process and loads no heavy dependency when imported or configured', async () => {
    const media = await import('./index.js');
    const processor = media.createMediaProcessor();
    expect(processor.name).toBe('media');
    expect(media.createMediaOperations().map((o) => o.name)).toContain('media.transcode');
    expect(Object.keys(media).sort()).toEqual([
      'MediaRejectReason',
      'createMediaOperations',
      'createMediaProcessor',
      'extractAudio',
      'posterFrame',
      'probeMedia',
      'supportsMediaType',
      'transcode',
    ]);
    expect(spawn).not.toHaveBeenCalled();
  });
});
