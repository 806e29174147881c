/**
 * IoT devices on the chain (capability 10): devices registered by their owner with a P-256 public key, and the
 * signed reading batches they submit. Plain types only (the gateway and the device simulator import them).
 */
import type { Evaluation, ExcursionCarry, Violation } from './compliance';
import type { Actor, RecordMeta } from './records';

/** Kinds of device the registry accepts. */
export const DEVICE_KINDS = [
  'cold_chain_logger',
  'field_sensor',
  'storage_sensor',
  'vehicle_tracker',
] as const;
/** One device kind. */
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Pattern of a device ID (a serial number, an IMEI, a URN). */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** A device is active until its owner retires it, for good. */
export type DeviceStatus = 'active' | 'retired';

/** Most readings one batch may carry, so that one transaction stays small enough to endorse quickly. */
export const MAX_READINGS_PER_BATCH = 1000;

/** How far a reading's time may run ahead of the transaction's (device clocks drift a little). */
export const READING_CLOCK_SKEW_MINUTES = 10;

/**
 * What a device monitors: a lot (its readings are checked against the temperature rules of `storageCategory`)
 * or a shipment (readings are stored only).
 */
export interface DeviceAttachment {
  lotId?: string;
  shipmentId?: string;
  /** Cold-chain category of what the device monitors ('chilled', 'frozen', 'ambient'); required with a lotId. */
  storageCategory?: string;
}

/** The JSON argument of RegisterDevice. */
export interface DeviceRegistration {
  deviceId: string;
  kind: DeviceKind;
  /** P-256 public key, SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"). */
  publicKeyPem: string;
  attachedTo?: DeviceAttachment;
}

/** What happened to a device in one transaction. */
export interface DeviceHistoryEntry {
  action: 'registered' | 'attached' | 'retired';
  attachedTo?: DeviceAttachment;
  reason?: string;
  by: Actor;
  at: string;
  txId: string;
}

/** Summary of one accepted batch, kept on the device and on the batch record. */
export interface DeviceBatchSummary {
  deviceId: string;
  sequence: number;
  count: number;
  minCelsius: number;
  maxCelsius: number;
  firstTime: string;
  lastTime: string;
  lotId?: string;
  txId: string;
  submittedBy: Actor;
}

/** A device as stored. */
export interface DeviceRecord extends RecordMeta {
  docType: 'device';
  deviceId: string;
  kind: DeviceKind;
  publicKeyPem: string;
  /** MSP ID of the member that registered it; only it may attach or retire the device. */
  owner: string;
  status: DeviceStatus;
  attachedTo?: DeviceAttachment;
  /** Sequence of the last accepted batch; a new batch must carry a higher one. Null before the first. */
  lastSequence: number | null;
  batchCount: number;
  lastBatch?: DeviceBatchSummary;
  /** Excursions still open at the last reading, by 'ruleSetId/ruleId', continued by the next batch. */
  openExcursions: Record<string, ExcursionCarry>;
  history: DeviceHistoryEntry[];
}

/** One reading as a device sends it. */
export interface DeviceReading {
  /** ISO timestamp with offset. */
  time: string;
  /** °C. */
  temperature: number;
  /** Relative humidity, %. */
  humidity?: number;
  lat?: number;
  lon?: number;
}

/** What the device signs: canonical JSON (keys sorted at every depth) of exactly these fields. */
export interface SignedReadings {
  deviceId: string;
  sequence: number;
  readings: DeviceReading[];
}

/** The JSON argument of SubmitReadings: the signed content and its signature (base64 DER ECDSA P-256 SHA-256). */
export interface ReadingBatch extends SignedReadings {
  signature: string;
}

/** Readings stored column-wise (one array per field, null where a reading had no value), compact for charts. */
export interface ReadingColumns {
  time: string[];
  temperature: number[];
  humidity?: (number | null)[];
  lat?: (number | null)[];
  lon?: (number | null)[];
}

/** A batch as stored: its summary, its signature and its readings. */
export interface DeviceBatchRecord extends DeviceBatchSummary, RecordMeta {
  docType: 'deviceBatch';
  signature: string;
  readings: ReadingColumns;
}

/** The result of SubmitReadings (also the ReadingsSubmitted event payload, which leaves the readings out). */
export interface ReadingsOutcome {
  batch: DeviceBatchSummary;
  evaluations: Evaluation[];
  violations: Violation[];
  /** The attached lot's status after the batch, if the device is attached to a lot. */
  lotStatus?: string;
}
