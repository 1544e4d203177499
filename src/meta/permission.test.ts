import { describe, expect, it } from 'vitest';
import { formatPermission, operatorPermissions, permissionAllows, type Permission } from './permission.js';

const ORG = '1111111111111111';
const OTHER = '2222222222222222';
const B1 = 'aaaaaaaaaaaaaaaa';
const B2 = 'bbbbbbbbbbbbbbbb';

const p = (action: 'read' | 'write', type: Permission['resource']['type'], orgID?: string, id?: string): Permission => ({
  action,
  resource: { type, ...(orgID === undefined ? {} : { orgID }), ...(id === undefined ? {} : { id }) },
});

describe('permissionAllows', () => {
  const cases: [string, Permission, Permission, boolean][] = [
    ['same type, global grant', p('write', 'buckets'), p('write', 'buckets', ORG, B1), true],
    ['write does not imply read', p('write', 'buckets'), p('read', 'buckets', ORG, B1), false],
    ['read does not imply write', p('read', 'buckets'), p('write', 'buckets', ORG, B1), false],
    ['other type', p('write', 'orgs'), p('write', 'buckets', ORG, B1), false],
    ['org-scoped grant, same org', p('write', 'buckets', ORG), p('write', 'buckets', ORG, B1), true],
    ['org-scoped grant, other org', p('write', 'buckets', ORG), p('write', 'buckets', OTHER, B1), false],
    ['id grant, same id', p('write', 'buckets', ORG, B1), p('write', 'buckets', ORG, B1), true],
    ['id grant, other id', p('write', 'buckets', ORG, B1), p('write', 'buckets', ORG, B2), false],
    ['id grant does not cover all of the type', p('read', 'buckets', ORG, B1), p('read', 'buckets', ORG), false],
    ['org grant does not cover every org', p('read', 'buckets', ORG), p('read', 'buckets'), false],
    ['instance covers all', p('read', 'instance'), p('read', 'users'), true],
    ['org-scoped orgs grant covers the org itself', p('read', 'orgs', ORG), p('read', 'orgs', undefined, ORG), true],
    ['org-scoped orgs grant does not cover another org', p('read', 'orgs', ORG), p('read', 'orgs', undefined, OTHER), false],
  ];
  it.each(cases)('%s', (_name, granted, requested, expected) => {
    expect(permissionAllows(granted, requested)).toBe(expected);
  });
});

describe('operatorPermissions', () => {
  it('is read+write on the 22 non-instance types without org scope (44 permissions)', () => {
    const perms = operatorPermissions();
    expect(perms).toHaveLength(44);
    expect(perms.some((x) => x.resource.type === 'instance')).toBe(false);
    expect(perms.every((x) => x.resource.orgID === undefined && x.resource.id === undefined)).toBe(true);
  });
});

describe('formatPermission', () => {
  it.each([
    [p('read', 'buckets', ORG, B1), `read:orgs/${ORG}/buckets/${B1}`],
    [p('write', 'buckets'), 'write:buckets'],
    [p('read', 'orgs', undefined, ORG), `read:orgs/${ORG}`],
  ])('%j → %s', (perm, text) => {
    expect(formatPermission(perm)).toBe(text);
  });
});
