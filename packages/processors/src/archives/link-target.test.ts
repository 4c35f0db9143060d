import { describe, expect, it } from 'vitest';
import { describeLink, unsafeLinkTarget } from './link-target.js';

describe('unsafeLinkTarget', () => {
  it('resolves a symbolic link from its folder and a hard link from the archive root', () => {
    expect(unsafeLinkTarget('certs/a.0', 'ca.pem', 'symlink')).toBeUndefined();
    expect(unsafeLinkTarget('a/b/link', '../../x', 'symlink')).toBeUndefined();
    expect(unsafeLinkTarget('a/b/link', '../../../x', 'symlink')).toBe('escapes');
    expect(unsafeLinkTarget('a/b/link', './../c/./d', 'symlink')).toBeUndefined();
    expect(unsafeLinkTarget('a/b/copy', 'a/b/orig', 'hardlink')).toBeUndefined();
    expect(unsafeLinkTarget('a/b/copy', '../orig', 'hardlink')).toBe('escapes');
    expect(unsafeLinkTarget('link', 'x/../../y', 'symlink')).toBe('escapes');
  });

  it('flags absolute targets in every spelling', () => {
    for (const target of ['/etc/passwd', '\\\\server\\share', 'C:\\Windows', 'c:/x']) {
      expect(unsafeLinkTarget('link', target, 'symlink'), target).toBe('absolute');
    }
    expect(describeLink('link', '/etc/passwd', 'symlink')).toEqual({
      type: 'symlink',
      target: '/etc/passwd',
      unsafe: 'absolute',
    });
    expect(describeLink('dir/link', 'file', 'symlink')).toEqual({ type: 'symlink', target: 'file' });
  });
});
