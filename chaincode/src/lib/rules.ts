/** Builds class-validator decorators for domain rules that refuse with a specific error code. */
import { ValidateBy } from 'class-validator';
import type { ValidationOptions } from 'class-validator';
import type { ErrorCode } from '../shared/errors';

/** A property decorator: `test` must accept the value, otherwise the field fails with `message` and `code`. */
export function Rule(
  name: string,
  test: (value: unknown, object: object) => boolean,
  message: string,
  code: ErrorCode,
  options: ValidationOptions = {},
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value, args) => test(value, args?.object ?? {}),
        defaultMessage: () => message,
      },
    },
    { ...options, context: { code } },
  );
}
