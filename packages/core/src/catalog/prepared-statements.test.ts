import { describe, expect, it } from 'vitest';
import { createStatementNamer, MAX_PARAMETERS, MAX_PER_CONNECTION } from './prepared-statements.js';

describe('createStatementNamer', () => {
  it('names a text the same on every connection, and two texts differently', () => {
    const namer = createStatementNamer();
    const a = namer.nameFor({}, 'select * from files where id = $1', 1);
    expect(a).toMatch(/^ff_[\w-]{27}$/);
    expect(namer.nameFor({}, 'select * from files where id = $1', 1)).toBe(a);
    expect(namer.nameFor({}, 'select * from jobs where id = $1', 1)).not.toBe(a);
  });

  it('leaves statements without parameters, and long lists, unnamed', () => {
    const namer = createStatementNamer();
    expect(namer.nameFor({}, 'begin', 0)).toBeUndefined();
    expect(namer.nameFor({}, 'select 1 where 1 in (…)', MAX_PARAMETERS + 1)).toBeUndefined();
    expect(namer.nameFor({}, 'select 1 where 1 in (…)', MAX_PARAMETERS)).toBeDefined();
  });

  it('names at most MAX_PER_CONNECTION texts on one connection; those keep their names', () => {
    const namer = createStatementNamer();
    const connection = {};
    for (let i = 0; i < MAX_PER_CONNECTION; i++)
      expect(namer.nameFor(connection, `select $1, ${i}`, 1)).toBeDefined();
    expect(namer.nameFor(connection, 'select $1, -1', 1)).toBeUndefined();
    expect(namer.nameFor(connection, 'select $1, 0', 1)).toBeDefined();
    expect(namer.nameFor({}, 'select $1, -1', 1)).toBeDefined();
  });
});
