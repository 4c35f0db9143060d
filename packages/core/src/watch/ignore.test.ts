import { describe, expect, it } from 'vitest';
import { createIgnore } from './ignore.js';

describe('createIgnore', () => {
  const ignored = createIgnore();

  it('ignores system litter, office lock files, swap files and partial downloads at any depth', () => {
    for (const path of [
      '.DS_Store',
      'a/Thumbs.db',
      'desktop.ini',
      '~$report.docx',
      '.~lock.budget.ods#',
      'movie.mp4.part',
      'setup.exe.crdownload',
      'photo.jpg.download',
      'x.tmp',
      'big.iso.partial',
      'deep/er/.notes.txt.swp',
      '.fileforge-claims/01h0000000000000000000000--a.txt',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
  });

  it('keeps ordinary files, including hidden ones and names that merely contain a pattern', () => {
    for (const path of [
      'report.pdf',
      'a/b/scan.png',
      '.env',
      'part.txt',
      'x.tmp.pdf',
      'notes.swp',
      'sub/~ok.txt',
    ]) {
      expect(ignored(path), path).toBe(false);
    }
  });

  it('matches patterns with a slash against the whole relative path', () => {
    const custom = createIgnore(['drafts/**', '*.bak']);
    expect(custom('drafts/a/b.txt')).toBe(true);
    expect(custom('x/drafts/b.txt')).toBe(false);
    expect(custom('x/old.bak')).toBe(true);
    expect(custom('.fileforge-claims/x')).toBe(true);
  });
});
