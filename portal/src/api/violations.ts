/** Reading violations as the gateway answers them. */
import type { Violation } from './types';

/** The rule-set version a violation was decided by (the compliance view calls it ruleSetVersion). */
export function versionOf(violation: Violation): number | string {
  return (violation as Violation & { ruleSetVersion?: number }).ruleSetVersion ?? violation.version ?? '?';
}
