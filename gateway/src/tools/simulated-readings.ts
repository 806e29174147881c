/**
 * What a simulated cold-chain logger measures and sends: a timeline of readings (temperature, humidity and the
 * truck's position on its way from Jinan to Shanghai), optionally with a breach of the cold chain, cut into batches
 * that the device signs exactly as the chaincode verifies them (signingPayload of the chaincode itself).
 */
import { sign } from 'crypto';
import type { KeyObject } from 'crypto';
import { signingPayload } from '@agritrace/chaincode/dist/devices/signature';
import type { DeviceReading, ReadingBatch } from '@agritrace/chaincode/dist/shared/devices';

/** The cold-chain categories the simulator can keep a lot in. */
export const SIMULATED_CATEGORIES = ['chilled', 'frozen'] as const;
/** One of them. */
export type SimulatedCategory = (typeof SIMULATED_CATEGORIES)[number];

/**
 * How a category's logger reads: around `nominal` (±`swing`) while the chain holds, at `breach` while it does not.
 * The breach temperatures are out of range but not so far out that one reading fails at once (the default rule set
 * fails chilled food at once above 8 °C, frozen above -12 °C), so it is the excursion's duration that fails.
 */
const PROFILES: Readonly<Record<SimulatedCategory, { nominal: number; swing: number; breach: number }>> = {
  chilled: { nominal: 2, swing: 1.2, breach: 6.5 },
  frozen: { nominal: -20, swing: 1.2, breach: -14 },
};

/** How long a simulated breach lasts: longer than the 30 minutes of excursion the default rule set tolerates. */
export const BREACH_MINUTES = 45;

/** The shortest time between two readings when the timeline has to be squeezed in after earlier readings. */
const MIN_STEP_MS = 1000;

/** The route the truck drives: Jinan (Shandong) to Shanghai. */
const ROUTE = { from: { lat: 36.651, lon: 117.12 }, to: { lat: 31.23, lon: 121.474 } };

/** When the readings of a run are taken: `count` readings `stepMs` apart from `start` (ms since the epoch). */
export interface Timeline {
  start: number;
  stepMs: number;
  count: number;
}

/** Which readings of the run are out of range. */
export interface Breach {
  from: number;
  length: number;
}

/** Everything needed to compute every reading of a run. */
export interface ReadingPlan extends Timeline {
  category: SimulatedCategory;
  breach?: Breach;
}

/**
 * The timeline of a run of `count` readings, `stepMs` apart, ending one step before `now`: a logger uploads what
 * it buffered, so every reading is in the past. Readings must come after `after` (the last reading the ledger
 * already holds for the device); if the run does not fit between it and now, the step shrinks, down to a second.
 */
export function planTimeline(now: number, count: number, stepMs: number, after?: number): Timeline {
  const start = now - count * stepMs;
  if (after === undefined || start > after) return { start, stepMs, count };
  const available = now - after;
  const squeezed = Math.floor(available / (count + 1));
  if (squeezed < MIN_STEP_MS) {
    throw new Error(
      `the device's last reading is at ${new Date(after).toISOString()}: ${count} more readings do not fit before now; send fewer or wait`,
    );
  }
  return { start: after + squeezed, stepMs: squeezed, count };
}

/**
 * Where a breach of BREACH_MINUTES goes: in the middle of the run, so that normal readings come before and after
 * it (it may straddle two batches: the chaincode measures an excursion across batches whole).
 */
export function planBreach(timeline: Timeline): Breach {
  const length = Math.ceil((BREACH_MINUTES * 60_000) / timeline.stepMs);
  if (length + 1 > timeline.count) {
    throw new Error(
      `a breach of ${BREACH_MINUTES} minutes needs more than ${length} readings ${timeline.stepMs / 1000} s apart; ` +
        `the run has ${timeline.count}: give more batches, a larger batch size or a longer sample interval`,
    );
  }
  return { from: Math.floor((timeline.count - length) / 2), length };
}

/** Reading `index` of the run (0-based): deterministic, so that a run can be checked and repeated. */
export function readingAt(plan: ReadingPlan, index: number): DeviceReading {
  const profile = PROFILES[plan.category];
  const breached =
    plan.breach !== undefined && index >= plan.breach.from && index < plan.breach.from + plan.breach.length;
  const temperature = breached
    ? profile.breach + 0.3 * Math.sin(index / 3)
    : profile.nominal + profile.swing * Math.sin(index / 7);
  const progress = plan.count > 1 ? index / (plan.count - 1) : 0;
  return {
    time: new Date(plan.start + index * plan.stepMs).toISOString(),
    temperature: round(temperature, 2),
    humidity: round(88 + 4 * Math.sin(index / 11), 1),
    lat: round(ROUTE.from.lat + (ROUTE.to.lat - ROUTE.from.lat) * progress, 5),
    lon: round(ROUTE.from.lon + (ROUTE.to.lon - ROUTE.from.lon) * progress, 5),
  };
}

/** The readings of batch `batch` (0-based) of `size` readings; the last batch may be shorter. */
export function batchReadings(plan: ReadingPlan, batch: number, size: number): DeviceReading[] {
  const readings: DeviceReading[] = [];
  for (let index = batch * size; index < Math.min(plan.count, (batch + 1) * size); index++) {
    readings.push(readingAt(plan, index));
  }
  return readings;
}

/**
 * A batch as the device sends it: its readings and sequence number signed with the device's P-256 key (ECDSA over
 * SHA-256, DER, base64) over the chaincode's own canonical serialisation, which is what the chaincode verifies.
 */
export function signBatch(
  privateKey: KeyObject,
  deviceId: string,
  sequence: number,
  readings: DeviceReading[],
): ReadingBatch {
  const payload = signingPayload({ deviceId, sequence, readings });
  const signature = sign('sha256', payload, { key: privateKey, dsaEncoding: 'der' }).toString('base64');
  return { deviceId, sequence, readings, signature };
}

/** The value rounded to `digits` decimals (readings carry what a logger would display). */
function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
