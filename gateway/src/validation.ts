/**
 * Request validation with class-validator DTOs, before anything reaches the ledger. A refusal is a 400 problem
 * whose code is the one a field's rule names (the chaincode's codes: INVALID_REGION, ...) or INVALID_ARGUMENT,
 * with every failed field listed. Unknown fields are refused so that typos do not pass silently.
 */
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import type { ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import type { ValidationError } from 'class-validator';
import { isErrorCode } from '@agritrace/chaincode/dist/shared/errors';
import type { ErrorCode } from '@agritrace/chaincode/dist/shared/errors';
import { ApiError } from './errors';

/** One failed field: its dotted path and the failed rules' messages. */
export interface FieldProblem {
  field: string;
  messages: string[];
}

/** Domain rules refusing with a chaincode error code: the chaincode's own decorator. */
export { Rule } from '@agritrace/chaincode/dist/lib/rules';

/**
 * Turns a request body or query into a validated DTO instance.
 * @param where - 'body' or 'query', named in the error messages.
 * @throws {@link ApiError} 400 naming every failed field.
 */
export async function parseDto<T extends object>(
  type: ClassConstructor<T>,
  plain: unknown,
  where: string,
): Promise<T> {
  if (plain === undefined || plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new ApiError({
      status: 400,
      code: 'INVALID_ARGUMENT',
      message: `the request ${where} must be a JSON object`,
    });
  }
  const instance = plainToInstance(type, plain, { enableImplicitConversion: false });
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length === 0) return instance;
  const problems = flatten(errors, '');
  const coded = problems.find((problem) => problem.code !== undefined);
  const first = coded ?? problems[0];
  throw new ApiError({
    status: 400,
    code: coded?.code ?? 'INVALID_ARGUMENT',
    message: first
      ? `${where}.${first.field}: ${first.messages.join('; ')}`
      : `the request ${where} is invalid`,
    details: { fields: problems.map(({ field, messages }) => ({ field, messages })) },
  });
}

/** Flattens nested class-validator errors into one problem per field, with the code a rule asked for. */
function flatten(errors: ValidationError[], prefix: string): (FieldProblem & { code?: ErrorCode })[] {
  const problems: (FieldProblem & { code?: ErrorCode })[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      const names = Object.keys(error.constraints).sort();
      const code = names
        .map((name) => (error.contexts?.[name] as { code?: unknown } | undefined)?.code)
        .find(isErrorCode);
      problems.push({
        field,
        messages: names.map((name) => error.constraints?.[name] ?? name),
        ...(code ? { code } : {}),
      });
    }
    if (error.children && error.children.length > 0) problems.push(...flatten(error.children, field));
  }
  return problems;
}
