import { describe, expect, it } from 'vitest';
import { WAVEFORM_SAMPLE_BUDGET, waveformSampling } from './waveform.js';

const request = (duration: number | null, sampleRate: number | null, maxSeconds = 4 * 3600) => ({
  stream: 0,
  width: 1000,
  height: 200,
  maxSeconds,
  duration,
  sampleRate,
});

describe('waveformSampling', () => {
  it('draws a song at its own rate, from what it claims to last (with a margin)', () => {
    expect(waveformSampling(request(180, 44_100))).toEqual({ seconds: 190, rate: 44_100 });
  });

  it('resamples long or high-rate audio so no more than the budget of samples is held', () => {
    for (const [duration, rate] of [
      [7200, 96_000],
      [4 * 3600, 192_000],
      [null, 384_000],
      [600, null],
    ] as const) {
      const plan = waveformSampling(request(duration, rate));
      expect(plan.seconds * plan.rate, `${duration} s at ${rate} Hz`).toBeLessThanOrEqual(
        WAVEFORM_SAMPLE_BUDGET,
      );
      expect(plan.rate).toBeGreaterThan(0);
    }
    // 2 h of 96 kHz (1.5 GB in ffmpeg before) comes down to about 2.2 kHz.
    expect(waveformSampling(request(7200, 96_000)).rate).toBe(Math.floor(WAVEFORM_SAMPLE_BUDGET / 7561));
  });

  it('never decodes past maxSeconds, and a file that claims no duration is bounded by it', () => {
    expect(waveformSampling(request(10 * 3600, 48_000)).seconds).toBe(4 * 3600);
    expect(waveformSampling(request(null, 48_000))).toEqual({
      seconds: 4 * 3600,
      rate: Math.floor(WAVEFORM_SAMPLE_BUDGET / (4 * 3600)),
    });
  });
});
