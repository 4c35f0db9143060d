import { describe, expect, it } from 'vitest';
import { createHashSlots } from './hash-slots.js';
import { createPasswords } from './passwords.js';

const passwords = createPasswords({ rounds: 4, slots: createHashSlots({ concurrency: 1 }) });

describe('Passwords', () => {
  it('verifies hashes written by bcryptjs ($2a$ and $2b$) as well as its own', async () => {
    // Written by bcryptjs 3 (the hasher before issue 7) at cost 4.
    const legacy2a = '$2a$04$UnygUasT1jllC4pN7RfIjOqx2KPoDaATnJZCjUoVz7tZNir/QCQUi';
    const legacy2b = '$2b$04$2WGwMaCB2fflGYmVY0rivub5voTNIi7XefA8GK0CdfVv9HD4VnYGm';
    expect(await passwords.verify('legacy password 1', [legacy2a, legacy2b])).toEqual([true, false]);
    expect(await passwords.verify('legacy password 2', [legacy2a, legacy2b])).toEqual([false, true]);
    const own = await passwords.hash('a new password');
    expect(own).toMatch(/^\$2b\$04\$/);
    expect(await passwords.verify('a new password', [own])).toEqual([true]);
  });

  it('never matches a password over 72 bytes, even when its first 72 bytes are right (issue 7)', async () => {
    const first72 = 'p'.repeat(72);
    const hash = await passwords.hash(first72);
    expect(await passwords.verify(first72, [hash])).toEqual([true]);
    expect(await passwords.verify(`${first72}suffix`, [hash])).toEqual([false]);
  });
});
