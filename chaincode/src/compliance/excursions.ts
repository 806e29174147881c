/**
 * Temperature excursions from a series of readings. A logger samples; between two readings the temperature is
 * taken to stay what the earlier one showed (sample and hold, as cold-chain loggers report "time out of range").
 * So a run of out-of-range readings lasts from its first reading to the first in-range reading after it; a run
 * still out of range at the last reading lasts until that reading, and a lone last reading lasts 0 minutes.
 */
import { minutesBetween } from './calendar';

/** One reading reduced to what the analysis needs: its time in milliseconds and its temperature in °C. */
export interface TemperaturePoint {
  time: number;
  celsius: number;
}

/** One continuous stretch outside the range. */
export interface ExcursionRun {
  /** Time of the first out-of-range reading (or of the carried start). */
  start: number;
  /** Time the run ended: the next in-range reading, or the last reading if the run is still open. */
  end: number;
  minutes: number;
  /** True if the run had not ended by the last reading. */
  open: boolean;
  /** True if the run began in an earlier batch (see ExcursionCarry). */
  carried: boolean;
  /** The reading furthest outside the range (absent for a carried run with no new out-of-range reading). */
  worstCelsius?: number;
  /** How far that reading lies outside the range, in °C. */
  worstDeviation: number;
}

/** Readings of a series against a range: extremes and every excursion, in time order. */
export interface TemperatureAnalysis {
  count: number;
  minCelsius: number;
  maxCelsius: number;
  runs: ExcursionRun[];
}

/** How far a temperature lies outside [min, max] in °C (0 inside; a bound that is absent is not checked). */
export function deviation(celsius: number, min: number | undefined, max: number | undefined): number {
  if (max !== undefined && celsius > max) return celsius - max;
  if (min !== undefined && celsius < min) return min - celsius;
  return 0;
}

/**
 * The excursions of a series of readings outside [min, max]. `carriedSince` is the start of a run left open by
 * the previous batch: it continues if the first new reading is still out of range and ends at it otherwise.
 */
export function analyseTemperatures(
  points: readonly TemperaturePoint[],
  min: number | undefined,
  max: number | undefined,
  carriedSince?: number,
): TemperatureAnalysis {
  // Sort by time; ties keep their submitted order so every peer sees the same series.
  const sorted = points.map((point, index) => ({ point, index }));
  sorted.sort((a, b) => a.point.time - b.point.time || a.index - b.index);
  const runs: ExcursionRun[] = [];
  let run: ExcursionRun | undefined =
    carriedSince === undefined
      ? undefined
      : {
          start: carriedSince,
          end: carriedSince,
          minutes: 0,
          open: true,
          carried: true,
          worstDeviation: 0,
        };
  let minCelsius = Number.POSITIVE_INFINITY;
  let maxCelsius = Number.NEGATIVE_INFINITY;
  for (const { point } of sorted) {
    minCelsius = Math.min(minCelsius, point.celsius);
    maxCelsius = Math.max(maxCelsius, point.celsius);
    const off = deviation(point.celsius, min, max);
    if (off > 0) {
      run ??= {
        start: point.time,
        end: point.time,
        minutes: 0,
        open: true,
        carried: false,
        worstCelsius: point.celsius,
        worstDeviation: off,
      };
      run.end = Math.max(run.end, point.time);
      if (off > run.worstDeviation) {
        run.worstDeviation = off;
        run.worstCelsius = point.celsius;
      }
    } else if (run) {
      runs.push(close(run, Math.max(run.start, point.time), false));
      run = undefined;
    }
  }
  if (run) runs.push(close(run, run.end, true));
  return { count: points.length, minCelsius, maxCelsius, runs };
}

/** The run ended at `end`, with its duration. */
function close(run: ExcursionRun, end: number, open: boolean): ExcursionRun {
  return { ...run, end, open, minutes: minutesBetween(run.start, end) };
}
