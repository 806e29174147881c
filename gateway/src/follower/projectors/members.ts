/** Member records (key member [mspId]) into table members. */
import type { MemberRecord } from '@agritrace/chaincode/dist/shared/members';
import { asObject, json, TableWriter, text } from '../projection';
import type { RecordProjector } from '../projection';

const members = new TableWriter(
  'members',
  ['msp_id', 'name', 'role', 'status', 'region', 'record'],
  ['msp_id'],
);

/** Projects member records. */
export const memberProjector: RecordProjector = {
  objectType: 'member',
  async project(tx, record, attributes, by) {
    const member = asObject(record) as Partial<MemberRecord>;
    await members.upsert(
      tx,
      {
        msp_id: text(member.mspId) ?? attributes[0],
        name: text(member.name) ?? '',
        role: text(member.role) ?? '',
        status: text(member.status) ?? '',
        region: text(member.region),
        record: json(record),
      },
      by,
    );
  },
  async remove(tx, attributes) {
    await members.delete(tx, [attributes[0] ?? '']);
  },
};
