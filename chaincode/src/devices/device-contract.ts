/**
 * IoT devices on the chain (capability 10): members register their devices with P-256 public keys, attach them to
 * lots and retire them; signed reading batches are verified here and checked against the cold-chain rules.
 */
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import type { DeviceAttachment, DeviceHistoryEntry, DeviceRecord, ReadingsOutcome } from '../shared/devices';
import { DEVICE_ID_PATTERN, READING_CLOCK_SKEW_MINUTES } from '../shared/devices';
import { ChaincodeError } from '../shared/errors';
import type { Page } from '../shared/records';
import { emitEvent } from '../lib/events';
import { callerMspId } from '../lib/identity';
import { KEYS } from '../lib/keys';
import { bindOperator } from '../lib/operator';
import { pagePartialKey, parsePageSize } from '../lib/pagination';
import { toJson } from '../lib/serializer';
import { readState } from '../lib/state';
import { newMeta, touched, txInfo } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { parseJsonArgument, requireMspId, requireText } from '../lib/validation';
import { assertApprovedMember } from '../members/member-authorization';
import { getLot } from '../lots/lot-store';
import { DeviceAttachmentDto, DeviceRegistrationDto, ReadingBatchDto } from './device.dto';
import {
  batchExists,
  deviceKey,
  findDevice,
  getDevice,
  pageBatches,
  readingColumns,
  saveBatch,
  saveDevice,
  summarize,
} from './device-store';
import { checkReadings } from './reading-compliance';
import { parseP256PublicKey, verifyBatchSignature } from './signature';
import { LedgerContract } from '../lib/ledger-contract';

/** Contract 'devices': the device registry and signed readings. */
@Info({ title: 'DeviceContract', description: 'IoT devices and their signed readings' })
export class DeviceContract extends LedgerContract {
  constructor() {
    super('devices');
  }

  /**
   * Registers a device owned by the caller's organisation (approved members):
   * {deviceId, kind, publicKeyPem, attachedTo?: {lotId, storageCategory} | {shipmentId}}.
   */
  @Transaction()
  @Returns('string')
  async RegisterDevice(ctx: Context, deviceJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const input = parseJsonArgument(DeviceRegistrationDto, deviceJson, 'device');
    parseP256PublicKey(input.publicKeyPem);
    if (await findDevice(ctx, input.deviceId)) {
      throw new ChaincodeError('DEVICE_EXISTS', `device ${input.deviceId} is already registered`, {
        deviceId: input.deviceId,
      });
    }
    const attachedTo = await checkAttachment(ctx, input.attachedTo, member.mspId);
    const tx = txInfo(ctx);
    const device: DeviceRecord = {
      ...newMeta(tx),
      docType: 'device',
      deviceId: input.deviceId,
      kind: input.kind,
      publicKeyPem: input.publicKeyPem,
      owner: member.mspId,
      status: 'active',
      attachedTo,
      lastSequence: null,
      batchCount: 0,
      openExcursions: {},
      history: [historyEntry('registered', tx, attachedTo)],
    };
    await saveDevice(ctx, device);
    emitEvent(ctx, 'DeviceRegistered', { device });
    return toJson(device);
  }

  /** Attaches the device to another lot or shipment, or detaches it with '{}' (its owner only). */
  @Transaction()
  @Returns('string')
  async AttachDevice(
    ctx: Context,
    deviceId: string,
    attachmentJson: string,
    operator: string,
  ): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const previous = await getOwnedActiveDevice(ctx, deviceId, member.mspId);
    const input = parseJsonArgument(DeviceAttachmentDto, attachmentJson, 'attachedTo');
    const attachedTo = await checkAttachment(ctx, input, member.mspId);
    const tx = txInfo(ctx);
    // An excursion on the old lot says nothing about the new one.
    const device: DeviceRecord = {
      ...touched(previous, tx),
      attachedTo,
      openExcursions: {},
      history: [...previous.history, historyEntry('attached', tx, attachedTo)],
    };
    await saveDevice(ctx, device, previous);
    emitEvent(ctx, 'DeviceAttached', { device });
    return toJson(device);
  }

  /** Retires the device for good (its owner only): its batches are refused from now on. */
  @Transaction()
  @Returns('string')
  async RetireDevice(ctx: Context, deviceId: string, reason: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const previous = await getOwnedActiveDevice(ctx, deviceId, member.mspId);
    const why = requireText(reason, 'reason', 500);
    const tx = txInfo(ctx);
    const device: DeviceRecord = {
      ...touched(previous, tx),
      status: 'retired',
      openExcursions: {},
      history: [...previous.history, { ...historyEntry('retired', tx, previous.attachedTo), reason: why }],
    };
    await saveDevice(ctx, device, previous);
    emitEvent(ctx, 'DeviceRetired', { device });
    return toJson(device);
  }

  /**
   * Accepts a signed batch of readings (any approved member may submit: the signature proves the device). Refuses a
   * bad signature, an unknown or retired device, and a sequence not above the last accepted one. Checks the
   * readings against the cold-chain rules of the attached lot, raising violations and holding the lot.
   * Returns {batch, evaluations, violations, lotStatus}.
   */
  @Transaction()
  @Returns('string')
  async SubmitReadings(ctx: Context, batchJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    await assertApprovedMember(ctx);
    const input = parseJsonArgument(ReadingBatchDto, batchJson, 'batch');
    // The signature covers the readings exactly as sent, not the validated copies.
    const signed = JSON.parse(batchJson) as {
      deviceId: string;
      sequence: number;
      readings: ReadingBatchDto['readings'];
    };
    const previous = await getDevice(ctx, input.deviceId);
    if (previous.status === 'retired') throw deviceRetired(previous.deviceId);
    if (!verifyBatchSignature(previous.publicKeyPem, signed, input.signature)) {
      throw new ChaincodeError('BAD_SIGNATURE', `the batch is not signed by device ${previous.deviceId}`, {
        deviceId: previous.deviceId,
        sequence: input.sequence,
      });
    }
    await assertNextSequence(ctx, previous, input.sequence);
    const tx = txInfo(ctx);
    const latest = Date.parse(tx.timestamp) + READING_CLOCK_SKEW_MINUTES * 60_000;
    const future = signed.readings.findIndex((reading) => Date.parse(reading.time) > latest);
    if (future >= 0) {
      throw new ChaincodeError('INVALID_ARGUMENT', `readings[${future}].time is in the future`, {
        field: `readings[${future}].time`,
        recordTime: tx.timestamp,
      });
    }
    const readings = signed.readings.map(({ time, temperature, humidity, lat, lon }) => ({
      time,
      temperature,
      humidity,
      lat,
      lon,
    }));
    const batch = {
      deviceId: previous.deviceId,
      sequence: input.sequence,
      ...summarize(readings),
      lotId: previous.attachedTo?.lotId,
      txId: tx.txId,
      submittedBy: tx.actor,
    };
    await saveBatch(ctx, {
      ...newMeta(tx),
      ...batch,
      docType: 'deviceBatch',
      signature: input.signature,
      readings: readingColumns(readings),
    });
    const check = await checkReadings(ctx, previous, input.sequence, readings, batch.lastTime, tx);
    const device: DeviceRecord = {
      ...touched(previous, tx),
      lastSequence: input.sequence,
      batchCount: previous.batchCount + 1,
      lastBatch: batch,
      openExcursions: check.openExcursions,
    };
    await saveDevice(ctx, device, previous);
    const outcome: ReadingsOutcome = {
      batch,
      evaluations: check.evaluations,
      violations: check.violations,
      lotStatus: check.lotStatus,
    };
    emitEvent(ctx, 'ReadingsSubmitted', outcome);
    return toJson(outcome);
  }

  /** The device record. */
  @Transaction(false)
  @Returns('string')
  async ReadDevice(ctx: Context, deviceId: string): Promise<string> {
    return toJson(await getDevice(ctx, requireDeviceId(deviceId)));
  }

  /** One page of a member's devices ('' = the caller's organisation), in device ID order. */
  @Transaction(false)
  @Returns('string')
  async QueryDevices(ctx: Context, ownerMspId: string, pageSize: string, bookmark: string): Promise<string> {
    const owner = ownerMspId === '' ? callerMspId(ctx) : requireMspId(ownerMspId, 'ownerMspId');
    const page = await pagePartialKey(
      ctx,
      KEYS.deviceByOwner,
      [owner],
      parsePageSize(pageSize),
      bookmark ?? '',
    );
    const records: DeviceRecord[] = [];
    for (const entry of page.entries) {
      const device = await readState<DeviceRecord>(ctx, deviceKey(ctx, entry.attributes[1] ?? ''));
      if (device) records.push(device);
    }
    const result: Page<DeviceRecord> = { records, bookmark: page.bookmark, fetchedCount: page.fetchedCount };
    return toJson(result);
  }

  /** One page of a device's batches with their readings (by column), in sequence order, for charts. */
  @Transaction(false)
  @Returns('string')
  async QueryDeviceReadings(
    ctx: Context,
    deviceId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const device = await getDevice(ctx, requireDeviceId(deviceId));
    // Batches hold up to 1000 readings each, so pages are small.
    return toJson(await pageBatches(ctx, device.deviceId, parsePageSize(pageSize, 20, 5), bookmark ?? ''));
  }
}

/** The device if the caller's organisation owns it and it is active. */
async function getOwnedActiveDevice(ctx: Context, deviceId: string, mspId: string): Promise<DeviceRecord> {
  const device = await getDevice(ctx, requireDeviceId(deviceId));
  if (device.owner !== mspId) {
    throw new ChaincodeError('NOT_DEVICE_OWNER', `${mspId} does not own device ${device.deviceId}`, {
      deviceId: device.deviceId,
      owner: device.owner,
    });
  }
  if (device.status === 'retired') throw deviceRetired(device.deviceId);
  return device;
}

/**
 * Checks an attachment: a lot or a shipment, not both; a lot must exist, be held by the device's owner (so nobody
 * can put a competitor's lot on hold with their own logger) and name the cold-chain category being monitored.
 */
async function checkAttachment(
  ctx: Context,
  input: DeviceAttachment | undefined,
  owner: string,
): Promise<DeviceAttachment | undefined> {
  if (!input || (input.lotId === undefined && input.shipmentId === undefined)) {
    if (input?.storageCategory !== undefined) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'storageCategory needs a lotId or shipmentId', {
        field: 'attachedTo',
      });
    }
    return undefined;
  }
  if (input.lotId !== undefined && input.shipmentId !== undefined) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'attach a device to a lot or to a shipment, not both', {
      field: 'attachedTo',
    });
  }
  if (input.shipmentId !== undefined) {
    return { shipmentId: input.shipmentId, storageCategory: input.storageCategory };
  }
  const lot = await getLot(ctx, input.lotId as string);
  if (lot.custodian !== owner) {
    throw new ChaincodeError('NOT_CUSTODIAN', `${owner} does not hold lot ${lot.lotId}`, {
      lotId: lot.lotId,
      custodian: lot.custodian,
    });
  }
  if (input.storageCategory === undefined) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'a device attached to a lot must name its storageCategory', {
      field: 'attachedTo.storageCategory',
    });
  }
  return { lotId: lot.lotId, storageCategory: input.storageCategory };
}

/** Refuses a sequence that is not above the last accepted one: REPLAYED_BATCH if it was accepted before. */
async function assertNextSequence(ctx: Context, device: DeviceRecord, sequence: number): Promise<void> {
  if (device.lastSequence === null || sequence > device.lastSequence) return;
  const details = { deviceId: device.deviceId, sequence, lastSequence: device.lastSequence };
  if (await batchExists(ctx, device.deviceId, sequence)) {
    throw new ChaincodeError(
      'REPLAYED_BATCH',
      `batch ${sequence} of ${device.deviceId} was already accepted`,
      details,
    );
  }
  throw new ChaincodeError(
    'OUT_OF_ORDER_BATCH',
    `batch ${sequence} of ${device.deviceId} is not above the last accepted ${device.lastSequence}`,
    details,
  );
}

/** A history entry for this transaction. */
function historyEntry(
  action: DeviceHistoryEntry['action'],
  tx: TxInfo,
  attachedTo: DeviceAttachment | undefined,
): DeviceHistoryEntry {
  return { action, attachedTo, by: tx.actor, at: tx.timestamp, txId: tx.txId };
}

/** DEVICE_RETIRED for a device. */
function deviceRetired(deviceId: string): ChaincodeError {
  return new ChaincodeError('DEVICE_RETIRED', `device ${deviceId} is retired`, { deviceId });
}

/** Refuses a malformed device ID. */
function requireDeviceId(deviceId: string): string {
  if (typeof deviceId !== 'string' || !DEVICE_ID_PATTERN.test(deviceId)) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'deviceId is not a valid device ID', { deviceId });
  }
  return deviceId;
}
