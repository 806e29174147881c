/**
 * The operator: the user of the member organisation who acted. The certificate says which organisation (and which
 * of its client identities) signed; the organisation's gateway authenticates its own users and names the one who
 * acted in the last argument of every write transaction ('' when nobody but the organisation itself acted). Each
 * write binds that argument to its context first, and txInfo() then puts it on every Actor the transaction
 * records, so that no record, history entry or event can name the organisation without naming its user.
 */
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import { OPERATOR_PATTERN } from '../shared/records';

/** The operator of each running write transaction, by context ('' = none). */
const operators = new WeakMap<Context, string>();

/**
 * Validates a write transaction's `operator` argument ('' or 1-64 characters of [A-Za-z0-9._@-]) and binds it to
 * the transaction; INVALID_ARGUMENT otherwise.
 */
export function bindOperator(ctx: Context, operator: string): void {
  if (typeof operator !== 'string' || (operator !== '' && !OPERATOR_PATTERN.test(operator))) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      "operator must be '' or 1-64 characters of letters, digits and . _ @ -",
      { argument: 'operator' },
    );
  }
  operators.set(ctx, operator);
}

/**
 * The operator bound to this transaction, or undefined when the organisation acted without naming a user. A write
 * that never bound its operator is a programming error, refused before it can record an anonymous change.
 */
export function boundOperator(ctx: Context): string | undefined {
  const operator = operators.get(ctx);
  if (operator === undefined) {
    throw new Error('a write transaction must call bindOperator(ctx, operator) before recording anything');
  }
  return operator === '' ? undefined : operator;
}
