/**
 * What a logged-in user's role lets it do through the gateway's API (API tokens, the organisation's machine
 * credential, are not limited here). The first rule matching the method and path decides; the chaincode still
 * checks the organisation (a regulator's decision from a non-regulator organisation is refused there too).
 */
import type { MemberRole } from '@agritrace/chaincode/dist/shared/members';
import type { UserRole } from './roles';

/** One rule: requests it matches are allowed to these roles, optionally only in a regulator organisation. */
export interface RoleRule {
  readonly methods: 'read' | 'write';
  readonly path: RegExp;
  readonly roles: readonly UserRole[];
  readonly regulatorOrgOnly?: boolean;
  /** What the rule guards, for the refusal message. */
  readonly what: string;
}

const EVERY_ROLE: readonly UserRole[] = ['operator', 'inspector', 'regulator', 'call_centre'];

/** The rules, most specific first. */
export const ROLE_RULES: readonly RoleRule[] = [
  {
    methods: 'write',
    path: /^\/api\/v1\/members\/[^/]+\/(approve|suspend|revoke)$/,
    roles: ['regulator'],
    regulatorOrgOnly: true,
    what: 'member decisions',
  },
  {
    methods: 'write',
    path: /^\/api\/v1\/(rulesets|rules)(\/|$)/,
    roles: ['regulator'],
    regulatorOrgOnly: true,
    what: 'publishing rule sets',
  },
  {
    methods: 'write',
    path: /^\/api\/v1\/lots\/[^/]+\/compliance\/(release|escalate)$/,
    roles: ['regulator'],
    regulatorOrgOnly: true,
    what: 'releasing compliance holds and escalating violations to recalls',
  },
  {
    methods: 'write',
    path: /^\/api\/v1\/lots\/[^/]+\/(hold|release)$/,
    roles: ['regulator', 'inspector'],
    what: 'placing and releasing holds',
  },
  { methods: 'write', path: /^\/api\/v1\/alliance(\/|$)/, roles: [], what: 'alliance administration' },
  {
    methods: 'write',
    path: /^\/api\/v1\/recalls(\/|$)/,
    roles: ['regulator', 'operator'],
    what: 'recalls',
  },
  {
    methods: 'write',
    path: /^\/api\/v1\/lots\/[^/]+\/(events|documents)$/,
    roles: ['operator', 'inspector', 'regulator'],
    what: 'recording events and documents',
  },
  { methods: 'write', path: /^\//, roles: ['operator', 'regulator'], what: 'changes to the ledger' },
  {
    methods: 'read',
    path: /^\/api\/v1\/analytics(\/|$)/,
    roles: ['regulator', 'inspector'],
    what: 'analytics',
  },
  { methods: 'read', path: /^\//, roles: EVERY_ROLE, what: 'reading' },
];

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True if the method changes something (needs a CSRF token with a session). */
export function isWriteMethod(method: string): boolean {
  return !READ_METHODS.has(method.toUpperCase());
}

/** Why a user of `role` in an organisation of `orgRole` may not make this request, or undefined if it may. */
export function roleRefusal(
  role: UserRole,
  orgRole: MemberRole,
  method: string,
  path: string,
  rules: readonly RoleRule[] = ROLE_RULES,
): string | undefined {
  const kind = isWriteMethod(method) ? 'write' : 'read';
  const rule = rules.find((candidate) => candidate.methods === kind && candidate.path.test(path));
  if (!rule) return `no rule allows ${method} ${path} to logged-in users`;
  if (!rule.roles.includes(role)) {
    return rule.roles.length === 0
      ? `${rule.what} is not done with a user login`
      : `${rule.what} needs the role ${rule.roles.join(' or ')}; this user is ${role}`;
  }
  if (rule.regulatorOrgOnly && orgRole !== 'regulator') {
    return `${rule.what} is done at a regulator organisation's gateway; this organisation is a ${orgRole}`;
  }
  return undefined;
}
