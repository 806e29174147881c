/**
 * The roles of a member organisation's user accounts, and which organisations may have which: a regulator user only
 * in a regulator organisation, an inspector only in an inspection body or a regulator.
 */
import type { MemberRole } from '@agritrace/chaincode/dist/shared/members';

/** What a user of a member organisation does. */
export const USER_ROLES = ['operator', 'inspector', 'regulator', 'call_centre'] as const;
/** One user role. */
export type UserRole = (typeof USER_ROLES)[number];

/** The organisation roles (network/topology.json) whose members may have users of each role. */
export const ORG_ROLES_FOR_USER_ROLE: Readonly<Record<UserRole, readonly MemberRole[] | 'any'>> = {
  operator: 'any',
  call_centre: 'any',
  inspector: ['inspector', 'regulator'],
  regulator: ['regulator'],
};

/** True if the value is a user role. */
export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && (USER_ROLES as readonly string[]).includes(value);
}

/** Why an organisation of `orgRole` may not have a user of `role`, or undefined if it may. */
export function userRoleProblem(role: UserRole, orgRole: MemberRole): string | undefined {
  const allowed = ORG_ROLES_FOR_USER_ROLE[role];
  if (allowed === 'any' || allowed.includes(orgRole)) return undefined;
  return `a ${orgRole} organisation cannot have ${role} users (only ${allowed.join(' or ')} organisations can)`;
}
