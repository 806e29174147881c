/**
 * Calendar buckets of a time, stored beside it so that counts per day, week and month are plain GROUP BYs in both
 * engines. The day is the one written in the timestamp itself (the local day of the place that recorded it).
 */

/** The day (YYYY-MM-DD), ISO week (YYYY-Www) and month (YYYY-MM) of an ISO 8601 date or timestamp. */
export interface TimeBuckets {
  readonly day: string;
  readonly week: string;
  readonly month: string;
}

/** Buckets of an ISO 8601 date or timestamp; the Unix epoch's for a value that is not one. */
export function timeBuckets(iso: string): TimeBuckets {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [1970, 1, 1];
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return {
    day: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
    week: isoWeek(year, month, day),
    month: `${pad(year, 4)}-${pad(month)}`,
  };
}

/** ISO 8601 week of a calendar date: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const weekYear = date.getUTCFullYear();
  const firstDay = Date.UTC(weekYear, 0, 1);
  const week = Math.ceil(((date.getTime() - firstDay) / 86_400_000 + 1) / 7);
  return `${String(weekYear).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}
