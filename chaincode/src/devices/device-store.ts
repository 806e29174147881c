/** Device records, their owner and lot indexes, and their reading batches (one key per batch, readings by column). */
import type { Context } from 'fabric-contract-api';
import type {
  DeviceBatchRecord,
  DeviceBatchSummary,
  DeviceReading,
  DeviceRecord,
  ReadingColumns,
} from '../shared/devices';
import { ChaincodeError } from '../shared/errors';
import type { Page } from '../shared/records';
import { KEYS } from '../lib/keys';
import { pageRecords } from '../lib/pagination';
import { deleteIndex, readState, stateExists, writeIndex, writeState } from '../lib/state';

/** World-state key of a device. */
export function deviceKey(ctx: Context, deviceId: string): string {
  return ctx.stub.createCompositeKey(KEYS.device, [deviceId]);
}

/** A sequence number as a fixed-width key attribute (Number.MAX_SAFE_INTEGER has 16 digits). */
export function sequenceAttribute(sequence: number): string {
  return String(sequence).padStart(16, '0');
}

/** World-state key of a device's batch. */
export function deviceBatchKey(ctx: Context, deviceId: string, sequence: number): string {
  return ctx.stub.createCompositeKey(KEYS.deviceBatch, [deviceId, sequenceAttribute(sequence)]);
}

/** The device, or undefined. */
export async function findDevice(ctx: Context, deviceId: string): Promise<DeviceRecord | undefined> {
  return readState<DeviceRecord>(ctx, deviceKey(ctx, deviceId));
}

/** The device; DEVICE_NOT_FOUND if it was never registered. */
export async function getDevice(ctx: Context, deviceId: string): Promise<DeviceRecord> {
  const device = await findDevice(ctx, deviceId);
  if (!device)
    throw new ChaincodeError('DEVICE_NOT_FOUND', `device ${deviceId} is not registered`, { deviceId });
  return device;
}

/** Stores a device and keeps its owner and lot index entries in step (a retired device leaves the lot index). */
export async function saveDevice(ctx: Context, device: DeviceRecord, previous?: DeviceRecord): Promise<void> {
  await writeState(ctx, deviceKey(ctx, device.deviceId), device);
  if (!previous) await writeIndex(ctx, KEYS.deviceByOwner, [device.owner, device.deviceId]);
  const before = previous?.status === 'active' ? previous.attachedTo?.lotId : undefined;
  const after = device.status === 'active' ? device.attachedTo?.lotId : undefined;
  if (before !== after) {
    if (before) await deleteIndex(ctx, KEYS.deviceByLot, [before, device.deviceId]);
    if (after) await writeIndex(ctx, KEYS.deviceByLot, [after, device.deviceId]);
  }
}

/** True if the device already stored a batch with this sequence (a replay, not merely an old number). */
export async function batchExists(ctx: Context, deviceId: string, sequence: number): Promise<boolean> {
  return stateExists(ctx, deviceBatchKey(ctx, deviceId, sequence));
}

/** Stores a batch record. */
export async function saveBatch(ctx: Context, batch: DeviceBatchRecord): Promise<void> {
  await writeState(ctx, deviceBatchKey(ctx, batch.deviceId, batch.sequence), batch);
}

/** One page of a device's batches, in sequence order (read-only transactions only). */
export async function pageBatches(
  ctx: Context,
  deviceId: string,
  pageSize: number,
  bookmark: string,
): Promise<Page<DeviceBatchRecord>> {
  return pageRecords<DeviceBatchRecord>(ctx, KEYS.deviceBatch, [deviceId], pageSize, bookmark);
}

/** Readings as columns; optional columns appear only if some reading has the value. */
export function readingColumns(readings: readonly DeviceReading[]): ReadingColumns {
  const columns: ReadingColumns = {
    time: readings.map((reading) => reading.time),
    temperature: readings.map((reading) => reading.temperature),
  };
  for (const field of ['humidity', 'lat', 'lon'] as const) {
    if (readings.some((reading) => reading[field] !== undefined)) {
      columns[field] = readings.map((reading) => reading[field] ?? null);
    }
  }
  return columns;
}

/** Count, extremes and time span of a batch (times compared as instants, reported as sent). */
export function summarize(
  readings: readonly DeviceReading[],
): Pick<DeviceBatchSummary, 'count' | 'minCelsius' | 'maxCelsius' | 'firstTime' | 'lastTime'> {
  let first = readings[0] as DeviceReading;
  let last = first;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const reading of readings) {
    min = Math.min(min, reading.temperature);
    max = Math.max(max, reading.temperature);
    if (Date.parse(reading.time) < Date.parse(first.time)) first = reading;
    if (Date.parse(reading.time) > Date.parse(last.time)) last = reading;
  }
  return {
    count: readings.length,
    minCelsius: min,
    maxCelsius: max,
    firstTime: first.time,
    lastTime: last.time,
  };
}
