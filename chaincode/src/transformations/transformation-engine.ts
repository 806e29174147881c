/**
 * The common core of SplitLot, MergeLots and ProcessLots: checks the caller holds every usable input, refuses
 * outputs beyond the inputs' quantity times the declared yield (mass balance), consumes the inputs, creates the
 * outputs, links each input to each output in both directions and records one TransformationEvent, against which
 * every output lot is checked for compliance (a failed rule holds that output).
 */
import type { Context } from 'fabric-contract-api';
import type { LifeCycleStage, LotEventRecord, Place } from '../shared/epcis';
import { ChaincodeError } from '../shared/errors';
import { lotIdOf, traceCode } from '../shared/gs1';
import type { OutputCompliance } from '../shared/events';
import type { LotInput, LotOrigin, LotRecord, StorageCategory } from '../shared/lots';
import type { MemberRecord } from '../shared/members';
import type { GenealogyLink } from '../shared/trace';
import { BASE_UNITS, UNITS, convertQuantity, measureIn, roundQuantity } from '../shared/units';
import type { Measure, Unit } from '../shared/units';
import { resolveEventTime } from '../lib/event-time';
import { newMeta, touched } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { enforceCompliance } from '../compliance/evaluation';
import { newEvent, quantityOf, saveEvent } from '../lots/event-store';
import { assertCustodian, assertNoPendingTransfer, assertUsable } from '../lots/lot-guards';
import { findLot, getLot, saveLot } from '../lots/lot-store';
import { saveLink } from '../trace/genealogy-store';

/** Most input-output links one transformation may create (inputs × outputs). */
export const MAX_TRANSFORMATION_LINKS = 1000;

/** Relative tolerance of the mass balance, for decimal rounding. */
const BALANCE_TOLERANCE = 1e-9;

/** An input as requested: a lot and optionally how much of it. */
export interface InputRequest {
  lotId: string;
  quantity?: number;
  unit?: Unit;
}

/** An output as requested; descriptive fields left out are filled from the inputs. */
export interface OutputRequest {
  gtin?: string;
  lot: string;
  serial?: string;
  product?: string;
  category?: string;
  quantity?: number;
  unit?: Unit;
  netContent?: Measure;
  productionDate?: string;
  expiryDate?: string;
  storageCategory?: StorageCategory;
}

/** A transformation to carry out. */
export interface TransformationPlan {
  kind: Exclude<LotOrigin, 'created'>;
  member: MemberRecord;
  tx: TxInfo;
  inputs: InputRequest[];
  outputs: OutputRequest[];
  declaredYield: number;
  eventTime?: string;
  bizLocation?: Place;
  stage: LifeCycleStage;
  processType?: string;
  note?: string;
}

/**
 * What a transformation wrote, as its transaction answers: the TransformationEvent, the inputs after consumption,
 * the new outputs (on hold if a rule failed on them) and, per output, the rules evaluated and the violations raised.
 */
export interface TransformationResult {
  event: LotEventRecord;
  inputs: LotRecord[];
  outputs: LotRecord[];
  compliance: OutputCompliance[];
}

/** An input lot with the quantity used, in the lot's unit. */
interface UsedInput {
  lot: LotRecord;
  used: number;
}

/** Carries out a transformation plan, or refuses it without writing anything. */
export async function transform(ctx: Context, plan: TransformationPlan): Promise<TransformationResult> {
  const used = await loadInputs(ctx, plan);
  const outputs = await buildOutputs(ctx, plan, used);
  if (plan.kind === 'split') takeSplitQuantity(used, outputs);
  checkMassBalance(used, outputs, plan.declaredYield);
  if (used.length * outputs.length > MAX_TRANSFORMATION_LINKS) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `inputs × outputs may not exceed ${MAX_TRANSFORMATION_LINKS}`,
      {
        inputs: used.length,
        outputs: outputs.length,
      },
    );
  }
  const { tx } = plan;
  const inputs = used.map(({ lot, used: quantity }) => {
    const remaining = roundQuantity(lot.remaining - quantity);
    return { ...touched(lot, tx), remaining, status: remaining > 0 ? lot.status : ('consumed' as const) };
  });
  const event = newEvent(tx, {
    eventType: 'TransformationEvent',
    bizStep: 'commissioning',
    disposition: 'active',
    stage: plan.stage,
    ...resolveEventTime(plan.eventTime, tx.timestamp),
    transformationId: tx.txId,
    inputQuantityList: used.map(({ lot, used: quantity }) => quantityOf(lot, quantity)),
    outputQuantityList: outputs.map((lot) => quantityOf(lot, lot.quantity)),
    bizLocation: plan.bizLocation,
    note: plan.processType ? `${plan.processType}${plan.note ? `: ${plan.note}` : ''}` : plan.note,
  });
  // Each output is checked as the event leaves it; compliance writes those it holds, so only its copies are saved.
  const checked: LotRecord[] = [];
  const compliance: OutputCompliance[] = [];
  for (const output of outputs) {
    const { evaluations, violations, lot } = await enforceCompliance(ctx, output, event);
    checked.push(lot);
    compliance.push({ lotId: lot.lotId, evaluations, violations });
  }
  for (const [i, lot] of inputs.entries()) await saveLot(ctx, lot, used[i]?.lot);
  for (const lot of checked) await saveLot(ctx, lot);
  for (const link of links(plan, used, checked)) await saveLink(ctx, link);
  await saveEvent(ctx, event);
  return { event, inputs, outputs: checked, compliance };
}

/** Loads and checks the inputs: distinct, held by the caller, usable, not offered; quantities within what remains. */
async function loadInputs(ctx: Context, plan: TransformationPlan): Promise<UsedInput[]> {
  const seen = new Set<string>();
  const used: UsedInput[] = [];
  for (const request of plan.inputs) {
    if (seen.has(request.lotId)) {
      throw new ChaincodeError('INVALID_ARGUMENT', `input ${request.lotId} is listed twice`, {
        lotId: request.lotId,
      });
    }
    seen.add(request.lotId);
    const lot = await getLot(ctx, request.lotId);
    assertCustodian(lot, plan.member.mspId);
    assertUsable(lot);
    assertNoPendingTransfer(lot);
    if (request.quantity === undefined && request.unit !== undefined) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'an input unit needs a quantity', { lotId: lot.lotId });
    }
    const quantity =
      request.quantity === undefined
        ? lot.remaining
        : convertQuantity(request.quantity, request.unit ?? lot.unit, lot.unit);
    if (quantity > lot.remaining) {
      throw new ChaincodeError(
        'QUANTITY_EXCEEDED',
        `only ${lot.remaining} ${lot.unit} of ${lot.lotId} remain`,
        {
          lotId: lot.lotId,
          remaining: lot.remaining,
          unit: lot.unit,
          requested: quantity,
        },
      );
    }
    used.push({ lot, used: quantity });
  }
  return used;
}

/** A split uses exactly what its outputs hold: refuses more than remains of the input. */
function takeSplitQuantity(used: UsedInput[], outputs: LotRecord[]): void {
  const input = used[0] as UsedInput;
  const { lot } = input;
  const total = roundQuantity(
    outputs.reduce(
      (sum, out) => sum + measureIn({ quantity: out.quantity, unit: out.unit }, lot.unit, out.netContent),
      0,
    ),
  );
  if (total > lot.remaining) {
    throw new ChaincodeError(
      'QUANTITY_EXCEEDED',
      `only ${lot.remaining} ${lot.unit} of ${lot.lotId} remain`,
      {
        lotId: lot.lotId,
        remaining: lot.remaining,
        unit: lot.unit,
        requested: total,
      },
    );
  }
  input.used = total;
}

/** Builds the output lots: new IDs, quantities, and descriptions and dates inherited from the inputs. */
async function buildOutputs(ctx: Context, plan: TransformationPlan, used: UsedInput[]): Promise<LotRecord[]> {
  const first = used[0]?.lot;
  if (!first) throw new ChaincodeError('INVALID_ARGUMENT', 'a transformation needs an input');
  const seen = new Set(used.map(({ lot }) => lot.lotId));
  const outputs: LotRecord[] = [];
  for (const request of plan.outputs) {
    const gtin = request.gtin ?? first.gtin;
    const lotId = lotIdOf(gtin, request.lot);
    if (seen.has(lotId)) {
      throw new ChaincodeError('INVALID_ARGUMENT', `lot ${lotId} appears twice in the transformation`, {
        lotId,
      });
    }
    seen.add(lotId);
    if (await findLot(ctx, lotId))
      throw new ChaincodeError('LOT_EXISTS', `lot ${lotId} already exists`, { lotId });
    const unit = request.unit ?? first.unit;
    const quantity = request.quantity ?? mergedQuantity(used, unit);
    outputs.push(outputLot(plan, used, { ...request, gtin: lotId.slice(0, 14) }, lotId, quantity, unit));
  }
  return outputs;
}

/** The quantity of a merge output when none is given: the sum of the inputs used, in the output's unit. */
function mergedQuantity(used: UsedInput[], unit: Unit): number {
  return roundQuantity(
    used.reduce(
      (sum, { lot, used: quantity }) => sum + measureIn({ quantity, unit: lot.unit }, unit, lot.netContent),
      0,
    ),
  );
}

/** One output lot record. */
function outputLot(
  plan: TransformationPlan,
  used: UsedInput[],
  request: OutputRequest & { gtin: string },
  lotId: string,
  quantity: number,
  unit: Unit,
): LotRecord {
  const first = (used[0] as UsedInput).lot;
  const { tx } = plan;
  // A split keeps its input's provenance; merged and processed lots are the transformer's products.
  const inherits = plan.kind === 'split';
  const expiries = used
    .map(({ lot }) => lot.expiryDate)
    .filter((date): date is string => !!date)
    .sort();
  const productionDate = request.productionDate ?? (inherits ? first.productionDate : undefined);
  const expiryDate = request.expiryDate ?? (plan.kind === 'process' ? undefined : expiries[0]);
  // Splitting or merging does not change how a product is kept; processing may (freezing), so it must be said.
  const storage = new Set(used.map(({ lot }) => lot.storageCategory));
  const storageCategory =
    request.storageCategory ??
    (plan.kind !== 'process' && storage.size === 1 ? first.storageCategory : undefined);
  // A split output records the share it took; merged and processed outputs record everything used.
  const inputs: LotInput[] = used.map(({ lot, used: all }) => ({
    lotId: lot.lotId,
    quantity: inherits ? measureIn({ quantity, unit }, lot.unit, request.netContent) : all,
    unit: lot.unit,
  }));
  return {
    ...newMeta(tx),
    docType: 'lot',
    lotId,
    gtin: request.gtin,
    lot: request.lot,
    serial: request.serial,
    product: request.product ?? first.product,
    category: request.category ?? first.category,
    quantity,
    remaining: quantity,
    unit,
    netContent: request.netContent
      ? { quantity: request.netContent.quantity, unit: request.netContent.unit }
      : undefined,
    origin: inherits ? first.origin : (plan.bizLocation ?? { region: plan.member.region }),
    productionDate,
    harvestDate: inherits ? first.harvestDate : undefined,
    expiryDate,
    storageCategory,
    status: 'active',
    producer: inherits ? first.producer : plan.member.mspId,
    custodian: plan.member.mspId,
    derivation: { kind: plan.kind, transformationId: tx.txId, inputs },
    traceCode: traceCode({
      gtin: request.gtin,
      lot: request.lot,
      serial: request.serial,
      productionDate,
      expiryDate,
    }),
  };
}

/**
 * Refuses outputs that exceed the inputs times the declared yield. Quantities are compared in the base unit of
 * the first input's class (kg, L), counting items through their net content where one is declared.
 */
function checkMassBalance(used: UsedInput[], outputs: LotRecord[], declaredYield: number): void {
  const first = (used[0] as UsedInput).lot;
  const measure =
    UNITS[first.unit].class === 'count' && first.netContent ? first.netContent.unit : first.unit;
  const base = UNITS[measure].class === 'count' ? measure : BASE_UNITS[UNITS[measure].class];
  const inputTotal = roundQuantity(
    used.reduce(
      (sum, { lot, used: quantity }) => sum + measureIn({ quantity, unit: lot.unit }, base, lot.netContent),
      0,
    ),
  );
  const outputTotal = roundQuantity(
    outputs.reduce(
      (sum, lot) => sum + measureIn({ quantity: lot.quantity, unit: lot.unit }, base, lot.netContent),
      0,
    ),
  );
  const allowed = inputTotal * declaredYield;
  if (outputTotal > allowed * (1 + BALANCE_TOLERANCE)) {
    throw new ChaincodeError(
      'MASS_BALANCE_VIOLATED',
      `outputs of ${outputTotal} ${base} exceed ${roundQuantity(allowed)} ${base} allowed`,
      {
        inputTotal,
        outputTotal,
        unit: base,
        declaredYield,
      },
    );
  }
}

/** The genealogy links: every input to every output, with the input quantity attributed to that output. */
function links(plan: TransformationPlan, used: UsedInput[], outputs: LotRecord[]): GenealogyLink[] {
  const result: GenealogyLink[] = [];
  for (const { lot: input, used: quantity } of used) {
    for (const output of outputs) {
      // A split output took its own quantity from the input; otherwise the whole used quantity fed every output.
      const share =
        plan.kind === 'split'
          ? measureIn({ quantity: output.quantity, unit: output.unit }, input.unit, output.netContent)
          : quantity;
      result.push({
        ...newMeta(plan.tx),
        input: input.lotId,
        output: output.lotId,
        kind: plan.kind,
        transformationId: plan.tx.txId,
        quantity: share,
        unit: input.unit,
        at: plan.tx.timestamp,
      });
    }
  }
  return result;
}
