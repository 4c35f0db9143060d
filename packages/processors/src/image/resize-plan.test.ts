import { describe, expect, it } from 'vitest';
import { plannedSize } from './resize-plan.js';

const photo = { width: 800, height: 600, orientation: undefined };

describe('plannedSize', () => {
  it('fits inside or covers outside the box, keeping the aspect ratio', () => {
    const box = { width: 400, height: 400, withoutEnlargement: true } as const;
    expect(plannedSize(photo, { ...box, fit: 'inside' })).toEqual({ width: 400, height: 300 });
    expect(plannedSize(photo, { ...box, fit: 'outside' })).toEqual({ width: 534, height: 400 });
    expect(plannedSize(photo, { ...box, fit: 'cover' })).toEqual({ width: 400, height: 400 });
  });

  it('derives the missing side and never enlarges unless allowed', () => {
    const request = { width: 1600, height: undefined, fit: 'inside' } as const;
    expect(plannedSize(photo, { ...request, withoutEnlargement: true })).toEqual({ width: 800, height: 600 });
    expect(plannedSize(photo, { ...request, withoutEnlargement: false })).toEqual({
      width: 1600,
      height: 1200,
    });
  });

  it('plans on the auto-oriented size', () => {
    const rotated = { ...photo, orientation: 6 };
    const request = { width: 300, height: undefined, fit: 'inside', withoutEnlargement: true } as const;
    expect(plannedSize(rotated, request)).toEqual({ width: 300, height: 400 });
  });
});
