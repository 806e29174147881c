/**
 * Strict reading of query strings for the store's read routes: only known parameters, each checked, every problem
 * named in one 400 answer.
 */
import type { Request } from 'express';
import { ApiError } from '../errors';

/** Reads the query string of `req`, refusing unknown or repeated parameters. */
export class QueryParams {
  readonly #query: Record<string, unknown>;
  readonly #problems: { field: string; messages: string[] }[] = [];

  constructor(req: Request, allowed: readonly string[]) {
    this.#query = req.query as Record<string, unknown>;
    for (const name of Object.keys(this.#query)) {
      if (!allowed.includes(name)) this.#problem(name, `unknown parameter; known: ${allowed.join(', ')}`);
    }
  }

  /** An optional text parameter of at most `maxLength` characters. */
  text(name: string, maxLength = 200): string | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (trimmed === '' || trimmed.length > maxLength) {
      this.#problem(name, `must be 1-${maxLength} characters`);
      return undefined;
    }
    return trimmed;
  }

  /** An optional parameter from a fixed list. */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      this.#problem(name, `must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  /** An optional calendar date YYYY-MM-DD. */
  date(name: string): string | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const valid = match !== null && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
    if (!valid) {
      this.#problem(name, 'must be a date YYYY-MM-DD');
      return undefined;
    }
    return value;
  }

  /** An optional integer in [min, max], or `fallback`. */
  integer(name: string, min: number, max: number, fallback: number): number {
    const value = this.#raw(name);
    if (value === undefined) return fallback;
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(number) || number < min || number > max) {
      this.#problem(name, `must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return number;
  }

  /** Throws a 400 naming every problem found so far, if any. */
  done(): void {
    if (this.#problems.length === 0) return;
    const first = this.#problems[0];
    throw new ApiError({
      status: 400,
      code: 'INVALID_ARGUMENT',
      message: first ? `query.${first.field}: ${first.messages.join('; ')}` : 'the query is invalid',
      details: { fields: this.#problems },
    });
  }

  #raw(name: string): string | undefined {
    const value = this.#query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.#problem(name, 'must be given once, as text');
      return undefined;
    }
    return value;
  }

  #problem(field: string, message: string): void {
    this.#problems.push({ field, messages: [message] });
  }
}
