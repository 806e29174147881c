/**
 * Every record projector, by the composite-key object type of the records it projects. Keys of other types
 * (secondary indexes, queues, singletons) are mirrored in ledger_kv only, as are the index markers under eventByLot.
 */
import type { RecordProjector } from '../projection';
import {
  evaluationProjector,
  lotDocumentProjector,
  ruleSetProjector,
  violationProjector,
} from './compliance';
import { deviceProjector, readingBatchProjector } from './devices';
import { genealogyProjector } from './genealogy';
import { lotEventProjector, lotEventUnderLotProjector } from './lot-events';
import { lotProjector } from './lots';
import { memberProjector } from './members';
import { recallProjector, recallScopeProjector } from './recalls';
import { transferProjector } from './transfers';

/** The projectors, keyed by object type. */
export const RECORD_PROJECTORS: ReadonlyMap<string, RecordProjector> = new Map(
  [
    memberProjector,
    lotProjector,
    lotEventProjector,
    lotEventUnderLotProjector,
    transferProjector,
    genealogyProjector,
    recallProjector,
    recallScopeProjector,
    violationProjector,
    lotDocumentProjector,
    evaluationProjector,
    ruleSetProjector,
    deviceProjector,
    readingBatchProjector,
  ].map((projector) => [projector.objectType, projector]),
);
