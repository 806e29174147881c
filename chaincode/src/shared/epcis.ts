/**
 * The life-cycle event model, after GS1 EPCIS 2.0 and CBV 2.0: event types, actions, business steps and
 * dispositions, and the event record stored for every lot event (what, when, where, why, who).
 */
import type { Actor, RecordMeta } from './records';

/** EPCIS 2.0 event types used here (AssociationEvent is for assets such as sensors, not lots). */
export const EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransformationEvent',
  'TransactionEvent',
] as const;
/** One EPCIS event type. */
export type EpcisEventType = (typeof EVENT_TYPES)[number];

/** EPCIS actions. */
export const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'] as const;
/** One EPCIS action. */
export type EpcisAction = (typeof ACTIONS)[number];

/** CBV 2.0 business steps (the standard vocabulary; extensions are URIs, see isBizStep). */
// prettier-ignore
export const BIZ_STEPS = [
  'accepting', 'arriving', 'assembling', 'collecting', 'commissioning', 'consigning', 'creating_class_instance',
  'cycle_counting', 'decommissioning', 'departing', 'destroying', 'disassembling', 'dispensing', 'encoding',
  'entering_exiting', 'holding', 'inspecting', 'installing', 'killing', 'loading', 'other', 'packing', 'picking',
  'receiving', 'removing', 'repackaging', 'repairing', 'replacing', 'reserving', 'retail_selling', 'sampling',
  'sensor_reporting', 'shipping', 'staging_outbound', 'stock_taking', 'stocking', 'storing', 'transporting',
  'unloading', 'unpacking', 'void_shipping',
] as const;
/** A CBV business step (one of BIZ_STEPS) or an extension URI. */
export type BizStep = string;

/** CBV 2.0 dispositions. */
// prettier-ignore
export const DISPOSITIONS = [
  'active', 'available', 'completeness_verified', 'completeness_inferred', 'conformant', 'container_closed',
  'container_open', 'damaged', 'destroyed', 'dispensed', 'disposed', 'encoded', 'expired', 'in_progress',
  'in_transit', 'inactive', 'mismatch_instance', 'mismatch_class', 'mismatch_quantity', 'needs_replacement',
  'no_pedigree_match', 'non_conformant', 'non_sellable_other', 'partially_dispensed', 'recalled', 'reserved',
  'retail_sold', 'returned', 'sellable_accessible', 'sellable_not_accessible', 'stolen', 'unavailable', 'unknown',
] as const;
/** A CBV disposition. */
export type Disposition = (typeof DISPOSITIONS)[number];

/**
 * Agricultural life-cycle stages, our own vocabulary beside the CBV business step: CBV has no planting, breeding or
 * harvest step, so such events carry e.g. bizStep 'commissioning' or 'other' and the stage says what happened.
 */
// prettier-ignore
export const LIFE_CYCLE_STAGES = [
  'planting', 'breeding', 'growing', 'harvest', 'slaughter', 'inspection', 'processing', 'packaging', 'storage',
  'transport', 'receiving', 'sale', 'consumer_sale', 'consumption', 'recall', 'hold', 'custody', 'other',
] as const;
/** One life-cycle stage. */
export type LifeCycleStage = (typeof LIFE_CYCLE_STAGES)[number];

/** The stage an event has when the caller names none, from its business step. */
export const DEFAULT_STAGE_OF_STEP: Readonly<Partial<Record<string, LifeCycleStage>>> = {
  commissioning: 'harvest',
  inspecting: 'inspection',
  sampling: 'inspection',
  packing: 'packaging',
  repackaging: 'packaging',
  storing: 'storage',
  stocking: 'storage',
  shipping: 'transport',
  departing: 'transport',
  transporting: 'transport',
  loading: 'transport',
  unloading: 'transport',
  arriving: 'receiving',
  receiving: 'receiving',
  accepting: 'custody',
  consigning: 'custody',
  retail_selling: 'consumer_sale',
  dispensing: 'sale',
  holding: 'hold',
  sensor_reporting: 'storage',
  killing: 'slaughter',
};

/** Business steps that move or sell a lot: refused while the lot is on hold, recalled or consumed. */
export const MOVE_OR_SELL_STEPS: readonly string[] = [
  'shipping',
  'departing',
  'transporting',
  'loading',
  'retail_selling',
  'dispensing',
];

/** Business steps whose quantity leaves the lot for good (sold, dispensed, destroyed): remaining drops. */
export const DEPLETING_STEPS: readonly string[] = [
  'retail_selling',
  'dispensing',
  'destroying',
  'decommissioning',
];

/** Business steps that an approved inspector may record on a lot it does not hold. */
export const INSPECTION_STEPS: readonly string[] = ['inspecting', 'sampling'];

/** True if the value is a CBV 2.0 business step or an extension URI (CBV allows those). */
export function isBizStep(value: unknown): value is BizStep {
  return (
    typeof value === 'string' &&
    ((BIZ_STEPS as readonly string[]).includes(value) ||
      /^(urn:[a-z0-9-]+:|https?:\/\/)\S{1,200}$/i.test(value))
  );
}

/** A quantity of a lot in an event (EPCIS quantityElement): its class-level identifier, amount and unit. */
export interface QuantityElement {
  /** The lot ID (GTIN-14:lot). */
  lotId: string;
  /** Class-level EPC of the lot: Digital Link URI with GTIN and batch/lot. */
  epcClass: string;
  quantity: number;
  /** Our unit symbol (kg, L, box...). */
  unit: string;
  /** UN/ECE Recommendation 20 code, as EPCIS wants. */
  uom: string;
}

/** A place: GLN and/or administrative division code, optionally coordinates. */
export interface Place {
  gln?: string;
  region?: string;
  latitude?: number;
  longitude?: number;
  address?: string;
}

/** A business transaction an event belongs to (purchase order, despatch advice, transfer ID...). */
export interface BizTransaction {
  type: string;
  bizTransaction: string;
}

/** A source or destination party of a transaction event (CBV: owning_party, possessing_party, location). */
export interface PartyReference {
  type: 'owning_party' | 'possessing_party' | 'location';
  party: string;
}

/** One sensor report (EPCIS sensorReport), e.g. {type: 'Temperature', value: 3.5, uom: 'CEL'}. */
export interface SensorReport {
  type: string;
  value?: number;
  minValue?: number;
  maxValue?: number;
  meanValue?: number;
  uom?: string;
  stringValue?: string;
  chemicalSubstance?: string;
  microorganism?: string;
  time?: string;
  exception?: 'ALARM_CONDITION' | 'ERROR_CONDITION';
}

/** One sensor element (EPCIS sensorElement): device metadata and its reports. */
export interface SensorElement {
  sensorMetadata?: {
    deviceID?: string;
    time?: string;
    startTime?: string;
    endTime?: string;
    bizRules?: string;
  };
  sensorReport: SensorReport[];
}

/** Lot master data recorded when a lot is commissioned (EPCIS ILMD). */
export interface LotMasterData {
  productionDate?: string;
  harvestDate?: string;
  expiryDate?: string;
  origin?: Place;
}

/** A life-cycle event as stored: one per transaction, indexed under every lot it involves. */
export interface LotEventRecord extends RecordMeta {
  docType: 'lotEvent';
  /** Unique event ID: "<txId>" (one EPCIS event per transaction). */
  eventId: string;
  eventType: EpcisEventType;
  /** Absent on TransformationEvents, which EPCIS defines without an action. */
  action?: EpcisAction;
  bizStep: BizStep;
  disposition?: Disposition;
  stage: LifeCycleStage;
  /** When it happened, as the recorder says (ISO 8601 with offset). */
  eventTime: string;
  eventTimeZoneOffset: string;
  /** When the ledger recorded it (transaction timestamp). */
  recordTime: string;
  /** Lots the event is about (ObjectEvent, TransactionEvent, AggregationEvent children). */
  quantityList?: QuantityElement[];
  /** Lots consumed and produced (TransformationEvent). */
  inputQuantityList?: QuantityElement[];
  outputQuantityList?: QuantityElement[];
  transformationId?: string;
  /** Container of an AggregationEvent (e.g. a pallet's SSCC URI). */
  parentID?: string;
  readPoint?: Place;
  bizLocation?: Place;
  bizTransactionList?: BizTransaction[];
  sourceList?: PartyReference[];
  destinationList?: PartyReference[];
  sensorElementList?: SensorElement[];
  ilmd?: LotMasterData;
  certificationInfo?: string;
  note?: string;
  /** Who is responsible: the submitting member and identity, taken from the transaction. */
  responsible: Actor;
  /** Lot IDs the event is indexed under. */
  lotIds: string[];
}
