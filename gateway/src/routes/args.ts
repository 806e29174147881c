/**
 * Turning HTTP requests into chaincode arguments. The chaincode validates every field of its JSON inputs and
 * answers a coded 400 for each problem, so the gateway checks only the shape of what it forwards: a JSON object
 * body, well-formed path parameters and page parameters.
 */
import type { Request } from 'express';
import { ApiError } from '../errors';

const MAX_PAGE_SIZE = 500;

function invalid(field: string, message: string): ApiError {
  return new ApiError({
    status: 400,
    code: 'INVALID_ARGUMENT',
    message: `${field} ${message}`,
    details: { fields: [{ field, messages: [message] }] },
  });
}

/** The request body as the chaincode's one JSON argument, with path-derived fields laid over it. */
export function jsonBodyArg(req: Request, overrides: Record<string, unknown> = {}): string {
  const body: unknown = req.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError({
      status: 400,
      code: 'INVALID_ARGUMENT',
      message: 'the request body must be a JSON object',
    });
  }
  return JSON.stringify({ ...(body as Record<string, unknown>), ...overrides });
}

/** A path parameter, which must be present and at most `max` characters. */
export function pathParam(req: Request, name: string, max = 128): string {
  const value = req.params[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(name, `must be 1 to ${max} characters`);
  }
  return value;
}

/** A required string field of the JSON body, e.g. a reason (1-500 characters, not blank). */
export function bodyString(req: Request, name: string, max = 500): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
    throw invalid(name, `must be a non-blank string of at most ${max} characters`);
  }
  return value;
}

/** An optional query parameter as a string ('' when absent). */
export function queryString(req: Request, name: string, allowed?: readonly string[]): string {
  const value = req.query[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw invalid(name, 'must be given once');
  if (allowed && value !== '' && !allowed.includes(value))
    throw invalid(name, `must be one of ${allowed.join(', ')}`);
  return value;
}

/** An optional positive integer query parameter as the chaincode's string ('' when absent). */
export function queryInt(req: Request, name: string, max: number): string {
  const raw = queryString(req, name);
  if (raw === '') return '';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalid(name, `must be an integer from 1 to ${max}`);
  return String(n);
}

/** pageSize and bookmark query parameters, as the chaincode's two page arguments. */
export function pageArgs(req: Request): [string, string] {
  return [queryInt(req, 'pageSize', MAX_PAGE_SIZE), queryString(req, 'bookmark')];
}
