import { describe, expect, it } from 'vitest';
import { ALL_ROLES, roleName } from '../../common/credentials/roles';

describe('roleName', () => {
  it('names each GBCS remote party role by its number', () => {
    expect(ALL_ROLES.map(roleName)).toEqual([
      'root',
      'recovery',
      'supplier',
      'networkOperator',
      'accessControlBroker',
      'transitionalCoS',
      'wanProvider',
    ]);
  });
});
