/** Valid member particulars for tests, with real check characters. */
import { creditCodeCheckCharacter } from '../../src/shared/licences';
import type { MemberParticulars, MemberRole } from '../../src/shared/members';

/** A valid unified social credit code: legal-person enterprise (91), region 110105, organisation code from `n`. */
export function creditCode(n: number): string {
  const first17 = `91110105${String(n).padStart(8, '0')}X`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** Valid particulars for a role; `n` varies the licence numbers. */
export function particulars(
  role: MemberRole,
  n = 1,
  overrides: Partial<MemberParticulars> = {},
): MemberParticulars {
  const needsLicence = role === 'producer' || role === 'processor';
  return {
    name: `${role} enterprise ${n}`,
    role,
    businessLicence: creditCode(n),
    ...(needsLicence ? { foodProductionLicence: `SC1063701${String(n).padStart(6, '0')}0` } : {}),
    region: '370102',
    contact: { person: 'Li Wei', phone: '+86 531 8888 0000', email: `contact${n}@example.cn` },
    ...overrides,
  };
}

/** particulars() as the JSON argument of RegisterMember. */
export function particularsJson(role: MemberRole, n = 1, overrides: Partial<MemberParticulars> = {}): string {
  return JSON.stringify(particulars(role, n, overrides));
}
