/** Genealogy links (key linkForward [input, output]) into table genealogy: the input lot went into the output. */
import type { GenealogyLink } from '@agritrace/chaincode/dist/shared/trace';
import { asObject, num, TableWriter, text } from '../projection';
import type { RecordProjector } from '../projection';

const genealogy = new TableWriter(
  'genealogy',
  ['input_lot_id', 'output_lot_id', 'kind', 'transformation_id', 'quantity', 'unit', 'at'],
  ['input_lot_id', 'output_lot_id'],
);

/** Projects genealogy links (the forward copy; the chaincode's backward copy holds the same link). */
export const genealogyProjector: RecordProjector = {
  objectType: 'linkForward',
  async project(tx, record, attributes, by) {
    const link = asObject(record) as Partial<GenealogyLink>;
    await genealogy.upsert(
      tx,
      {
        input_lot_id: text(link.input) ?? attributes[0],
        output_lot_id: text(link.output) ?? attributes[1],
        kind: text(link.kind) ?? '',
        transformation_id: text(link.transformationId) ?? by.txId,
        quantity: num(link.quantity) ?? 0,
        unit: text(link.unit) ?? '',
        at: text(link.at) ?? by.timestamp,
      },
      by,
    );
  },
  async remove(tx, attributes) {
    await genealogy.delete(tx, [attributes[0] ?? '', attributes[1] ?? '']);
  },
};
