/**
 * Turns a transaction's JSON argument into a validated DTO instance, or refuses it with a coded error. Field
 * validators may carry `context: { code }` to name a specific error code (BAD_CHECK_DIGIT, ...); otherwise the
 * refusal is INVALID_ARGUMENT. Unknown fields are refused so that typos do not pass silently.
 */
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import type { ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ValidationError } from 'class-validator';
import { ChaincodeError, isErrorCode } from '../shared/errors';
import type { ErrorCode } from '../shared/errors';

/** One failed field: its dotted path, the failed rules' messages, and the code a rule asked for. */
interface FieldProblem {
  field: string;
  messages: string[];
  code?: ErrorCode;
}

/** Parses and validates a JSON argument into an instance of `type`. */
export function parseJsonArgument<T extends object>(
  type: ClassConstructor<T>,
  json: string,
  argument: string,
): T {
  let plain: unknown;
  try {
    plain = JSON.parse(json);
  } catch {
    throw new ChaincodeError('INVALID_JSON', `${argument} is not valid JSON`, { argument });
  }
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new ChaincodeError('INVALID_JSON', `${argument} must be a JSON object`, { argument });
  }
  return validateObject(type, plain as Record<string, unknown>, argument);
}

/** Validates a plain object into an instance of `type`. */
export function validateObject<T extends object>(
  type: ClassConstructor<T>,
  plain: Record<string, unknown>,
  argument: string,
): T {
  const instance = plainToInstance(type, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    const problems = flatten(errors, '');
    const coded = problems.find((problem) => problem.code !== undefined);
    const code = coded?.code ?? 'INVALID_ARGUMENT';
    const first = coded ?? problems[0];
    const message = first
      ? `${argument}.${first.field}: ${first.messages.join('; ')}`
      : `${argument} is invalid`;
    throw new ChaincodeError(code, message, {
      argument,
      fields: problems.map(({ field, messages }) => ({ field, messages })),
    });
  }
  return instance;
}

/** Flattens nested class-validator errors into one problem per field. */
function flatten(errors: ValidationError[], prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      const names = Object.keys(error.constraints).sort();
      const code = names
        .map((name) => (error.contexts?.[name] as { code?: unknown } | undefined)?.code)
        .find(isErrorCode);
      problems.push({ field, messages: names.map((name) => error.constraints?.[name] ?? name), code });
    }
    if (error.children && error.children.length > 0) problems.push(...flatten(error.children, field));
  }
  return problems;
}

/** Refuses a plain string argument that is empty or longer than `max` characters; returns it trimmed. */
export function requireText(value: string, argument: string, max = 1000): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0 || text.length > max) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${argument} must be 1-${max} characters`, { argument });
  }
  return text;
}

/** Pattern of an MSP ID (Fabric allows more, but ours are plain identifiers). */
const MSP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Refuses an argument that is not a well-formed MSP ID. */
export function requireMspId(value: string, argument = 'mspId'): string {
  if (typeof value !== 'string' || !MSP_ID_PATTERN.test(value)) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${argument} is not a valid MSP ID`, { argument, value });
  }
  return value;
}
