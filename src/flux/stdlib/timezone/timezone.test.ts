import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

describe('timezone', () => {
  it.each([
    ['timezone.utc', '{offset: 0ns, zone: UTC}'],
    ['timezone.fixed(offset: -8h)', '{offset: -8h, zone: UTC}'],
    ['timezone.location(name: "Europe/Paris")', '{offset: 0ns, zone: Europe/Paris}'],
    ['location', '{offset: 0ns, zone: UTC}'],
  ])('%s', async (expr, want) => {
    expect(await displayExpression(expr, 'import "timezone"')).toBe(want);
  });

  it('lets a program replace option location', async () => {
    const preamble = 'import "timezone"\noption location = timezone.fixed(offset: 2h)';
    expect(await displayExpression('location.offset', preamble)).toBe('2h');
  });
});
