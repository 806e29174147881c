/**
 * IoT devices (key device [deviceId]) into table devices, and their signed reading batches (key deviceBatch
 * [deviceId, sequence]) as summaries into reading_batches and their temperatures, one row each, into
 * device_readings (for cold-chain charts); signatures, humidity and positions stay on the ledger.
 */
import type { DeviceBatchRecord, DeviceRecord } from '@agritrace/chaincode/dist/shared/devices';
import { asObject, json, num, TableWriter, text } from '../projection';
import type { RecordProjector } from '../projection';

const devices = new TableWriter(
  'devices',
  [
    'device_id',
    'kind',
    'owner',
    'status',
    'lot_id',
    'storage_category',
    'batch_count',
    'last_sequence',
    'record',
  ],
  ['device_id'],
);

const batches = new TableWriter(
  'reading_batches',
  [
    'device_id',
    'sequence',
    'lot_id',
    'reading_count',
    'min_celsius',
    'max_celsius',
    'first_time',
    'last_time',
  ],
  ['device_id', 'sequence'],
);

const readings = new TableWriter(
  'device_readings',
  ['device_id', 'sequence', 'position', 'lot_id', 'reading_time', 'celsius'],
  ['device_id', 'sequence', 'position'],
);

/** Projects device records; the public key and history stay in the record column only. */
export const deviceProjector: RecordProjector = {
  objectType: 'device',
  async project(tx, record, attributes, by) {
    const device = asObject(record) as Partial<DeviceRecord>;
    await devices.upsert(
      tx,
      {
        device_id: text(device.deviceId) ?? attributes[0],
        kind: text(device.kind) ?? '',
        owner: text(device.owner) ?? '',
        status: text(device.status) ?? '',
        lot_id: text(device.attachedTo?.lotId),
        storage_category: text(device.attachedTo?.storageCategory),
        batch_count: num(device.batchCount) ?? 0,
        last_sequence: num(device.lastSequence),
        record: json(record),
      },
      by,
    );
  },
  async remove(tx, attributes) {
    await devices.delete(tx, [attributes[0] ?? '']);
  },
};

/** Projects reading batches as summaries (count, minimum and maximum temperature, time span). */
export const readingBatchProjector: RecordProjector = {
  objectType: 'deviceBatch',
  async project(tx, record, attributes, by) {
    const batch = asObject(record) as Partial<DeviceBatchRecord>;
    await batches.upsert(
      tx,
      {
        device_id: text(batch.deviceId) ?? attributes[0],
        sequence: num(batch.sequence) ?? Number(attributes[1] ?? 0),
        lot_id: text(batch.lotId),
        reading_count: num(batch.count) ?? 0,
        min_celsius: num(batch.minCelsius) ?? 0,
        max_celsius: num(batch.maxCelsius) ?? 0,
        first_time: text(batch.firstTime) ?? '',
        last_time: text(batch.lastTime) ?? '',
      },
      by,
    );
    const deviceId = text(batch.deviceId) ?? attributes[0] ?? '';
    const sequence = num(batch.sequence) ?? Number(attributes[1] ?? 0);
    const times = Array.isArray(batch.readings?.time) ? batch.readings.time : [];
    const temperatures = Array.isArray(batch.readings?.temperature) ? batch.readings.temperature : [];
    for (const [position, time] of times.entries()) {
      const celsius = num(temperatures[position]);
      if (text(time) === null || celsius === null) continue;
      await readings.upsert(
        tx,
        { device_id: deviceId, sequence, position, lot_id: text(batch.lotId), reading_time: time, celsius },
        by,
      );
    }
  },
  async remove(tx, attributes) {
    await batches.delete(tx, [attributes[0] ?? '', Number(attributes[1] ?? 0)]);
    await tx.run('DELETE FROM device_readings WHERE device_id = ? AND sequence = ?', [
      attributes[0] ?? '',
      Number(attributes[1] ?? 0),
    ]);
  },
};
