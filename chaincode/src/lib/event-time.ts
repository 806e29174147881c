/** Event times as recorded by members: ISO 8601 with an offset, never later than the transaction itself. */
import { ChaincodeError } from '../shared/errors';

/** ISO 8601 date-time with seconds optional and a mandatory offset (EPCIS needs the offset). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** How far an event time may run ahead of the transaction time (client clocks drift). */
const ALLOWED_CLOCK_SKEW_MS = 10 * 60 * 1000;

/** True if the string is an ISO 8601 date-time with offset. */
export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** The event time and its zone offset: the caller's time if given, else the transaction time (UTC). */
export function resolveEventTime(
  eventTime: string | undefined,
  txTimestamp: string,
): { eventTime: string; eventTimeZoneOffset: string } {
  if (eventTime === undefined) return { eventTime: txTimestamp, eventTimeZoneOffset: '+00:00' };
  if (!isDateTime(eventTime)) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'eventTime must be ISO 8601 with an offset', { eventTime });
  }
  if (Date.parse(eventTime) > Date.parse(txTimestamp) + ALLOWED_CLOCK_SKEW_MS) {
    throw new ChaincodeError('INVALID_EVENT', 'eventTime is in the future', {
      eventTime,
      recordTime: txTimestamp,
    });
  }
  const offset = eventTime.endsWith('Z') ? '+00:00' : eventTime.slice(-6);
  return { eventTime, eventTimeZoneOffset: offset };
}
