import { isUserRole, userRoleProblem } from '../../../src/users/roles';
import { isWriteMethod, roleRefusal } from '../../../src/users/role-policy';

describe('role gates for logged-in users', () => {
  it.each([
    // role, org role, method, path, allowed
    ['regulator', 'regulator', 'POST', '/api/v1/members/CoopMSP/approve', true],
    ['operator', 'regulator', 'POST', '/api/v1/members/CoopMSP/approve', false],
    ['regulator', 'producer', 'POST', '/api/v1/members/CoopMSP/approve', false],
    ['regulator', 'regulator', 'POST', '/api/v1/rulesets', true],
    ['inspector', 'inspector', 'POST', '/api/v1/rulesets', false],
    ['regulator', 'regulator', 'POST', '/api/v1/lots/06901234567892%3AA1/compliance/release', true],
    ['operator', 'producer', 'POST', '/api/v1/lots/06901234567892%3AA1/compliance/release', false],
    ['regulator', 'regulator', 'POST', '/api/v1/lots/06901234567892%3AA1/compliance/escalate', true],
    ['inspector', 'inspector', 'POST', '/api/v1/lots/06901234567892%3AA1/hold', true],
    ['operator', 'producer', 'POST', '/api/v1/lots/06901234567892%3AA1/hold', false],
    ['inspector', 'inspector', 'POST', '/api/v1/lots/06901234567892%3AA1/events', true],
    ['call_centre', 'producer', 'POST', '/api/v1/lots/06901234567892%3AA1/events', false],
    ['operator', 'producer', 'POST', '/api/v1/lots', true],
    ['operator', 'producer', 'POST', '/api/v1/transfers/abc/accept', true],
    ['inspector', 'inspector', 'POST', '/api/v1/lots', false],
    ['call_centre', 'regulator', 'POST', '/api/v1/lots', false],
    ['call_centre', 'regulator', 'DELETE', '/api/v1/anything', false],
    ['operator', 'producer', 'POST', '/api/v1/recalls', true],
    ['operator', 'producer', 'POST', '/api/v1/alliance/bootstrap', false],
    ['regulator', 'regulator', 'POST', '/api/v1/alliance/bootstrap', false],
    ['call_centre', 'producer', 'GET', '/api/v1/search/lots', true],
    ['call_centre', 'producer', 'GET', '/api/v1/lots/x/trace.xlsx', true],
    ['call_centre', 'regulator', 'GET', '/api/v1/analytics/lots', false],
    ['regulator', 'regulator', 'GET', '/api/v1/analytics/lots', true],
    ['inspector', 'inspector', 'GET', '/api/v1/analytics/compliance', true],
  ] as const)('%s user of a %s organisation: %s %s → %s', (role, orgRole, method, path, allowed) => {
    const refusal = roleRefusal(role, orgRole, method, path);
    if (allowed) expect(refusal).toBeUndefined();
    else expect(refusal).toEqual(expect.any(String));
  });

  it('explains a refusal by what is guarded and which role it needs', () => {
    expect(roleRefusal('operator', 'regulator', 'POST', '/api/v1/members/X/approve')).toMatch(
      /member decisions needs the role regulator; this user is operator/,
    );
    expect(roleRefusal('regulator', 'retailer', 'POST', '/api/v1/rulesets')).toMatch(
      /regulator organisation/,
    );
  });

  it('treats every method but GET, HEAD and OPTIONS as a write', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'get'].map(isWriteMethod)).toEqual([false, false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isWriteMethod)).toEqual([true, true, true, true]);
  });
});

describe('which organisations may have which users', () => {
  it('allows regulator users only in regulator organisations, inspectors in inspection bodies and regulators', () => {
    expect(userRoleProblem('regulator', 'regulator')).toBeUndefined();
    expect(userRoleProblem('regulator', 'producer')).toMatch(/cannot have regulator users/);
    expect(userRoleProblem('inspector', 'inspector')).toBeUndefined();
    expect(userRoleProblem('inspector', 'retailer')).toBeDefined();
    expect(userRoleProblem('operator', 'retailer')).toBeUndefined();
    expect(userRoleProblem('call_centre', 'producer')).toBeUndefined();
  });

  it('knows the four roles', () => {
    expect(['operator', 'inspector', 'regulator', 'call_centre', 'admin'].map(isUserRole)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });
});
