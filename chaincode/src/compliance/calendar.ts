/**
 * Dates as regulations read them. The alliance is Chinese: a rule effective from a date, a certificate's day of
 * issue and a lot's expiry day all mean calendar days in China Standard Time (UTC+08:00), whatever the offset of
 * the timestamp an event carries. Pure functions; times are refused rather than guessed when ambiguous.
 */
import { ChaincodeError } from '../shared/errors';
import { isIsoDate } from '../shared/gs1';

/** Offset of China Standard Time from UTC, in minutes (no daylight saving). */
export const REGULATORY_UTC_OFFSET_MINUTES = 480;

const MINUTE = 60_000;
const DAY = 86_400_000;
const OFFSET = REGULATORY_UTC_OFFSET_MINUTES * MINUTE;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A timestamp must carry its offset: a local time without one would be read differently by different peers.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True if the text is an ISO date or an ISO timestamp with an offset. */
export function isIsoInstant(text: unknown): text is string {
  return (
    typeof text === 'string' && (isIsoDate(text) || (TIMESTAMP.test(text) && !Number.isNaN(Date.parse(text))))
  );
}

/** Milliseconds since the epoch of an ISO timestamp, or of midnight CST of an ISO date; MALFORMED_DATE otherwise. */
export function parseInstant(text: string, field: string): number {
  if (!isIsoInstant(text)) {
    throw new ChaincodeError(
      'MALFORMED_DATE',
      `${field} must be an ISO date (YYYY-MM-DD) or an ISO timestamp with an offset`,
      { field, value: text },
    );
  }
  const date = DATE_ONLY.exec(text);
  if (date) return Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) - OFFSET;
  return Date.parse(text);
}

/** The CST calendar day (days since 1970-01-01) of an instant in milliseconds. */
export function regulatoryDay(millis: number): number {
  return Math.floor((millis + OFFSET) / DAY);
}

/** The CST calendar day of an ISO date or timestamp. */
export function dayOf(text: string, field: string): number {
  return regulatoryDay(parseInstant(text, field));
}

/** The CST calendar date (YYYY-MM-DD) of an instant, for messages. */
export function isoDay(millis: number): string {
  return new Date(millis + OFFSET).toISOString().slice(0, 10);
}

/** Whole and fractional minutes between two instants in milliseconds. */
export function minutesBetween(from: number, to: number): number {
  return (to - from) / MINUTE;
}
