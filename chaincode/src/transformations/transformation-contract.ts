/** Transformation (capability 6): split, merge and process lots with quantities, units and a mass balance. */
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import { transformationEventPayload } from '../shared/events';
import type { EventName } from '../shared/events';
import { emitEvent } from '../lib/events';
import { bindOperator } from '../lib/operator';
import { toJson } from '../lib/serializer';
import { txInfo } from '../lib/transaction';
import { parseJsonArgument } from '../lib/validation';
import { assertApprovedMember } from '../members/member-authorization';
import { plainPlace } from '../lots/lot-contract';
import { MergeLotsDto, ProcessLotsDto, SplitLotDto } from './transformation-dto';
import type { OutputDto } from './transformation-dto';
import { transform } from './transformation-engine';
import type { OutputRequest, TransformationPlan, TransformationResult } from './transformation-engine';
import { LedgerContract } from '../lib/ledger-contract';

/** Contract 'transformations': lots split, merged and processed into new lots, linked to their inputs. */
@Info({ title: 'TransformationContract', description: 'Split, merge and process lots' })
export class TransformationContract extends LedgerContract {
  constructor() {
    super('transformations');
  }

  /** Splits a lot into new lots; the outputs' quantities come out of the input's remaining quantity. */
  @Transaction()
  @Returns('string')
  async SplitLot(ctx: Context, splitJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const input = parseJsonArgument(SplitLotDto, splitJson, 'split');
    input.outputs.forEach((output, i) => {
      if (output.quantity === undefined) {
        throw new ChaincodeError('INVALID_ARGUMENT', `outputs[${i}] needs a quantity`, {
          field: `outputs.${i}.quantity`,
        });
      }
    });
    const result = await transform(ctx, {
      kind: 'split',
      member,
      tx: txInfo(ctx),
      inputs: [{ lotId: input.lotId }],
      outputs: input.outputs.map(outputRequest),
      declaredYield: 1,
      eventTime: input.eventTime,
      bizLocation: input.bizLocation ? plainPlace(input.bizLocation) : undefined,
      stage: input.stage ?? 'packaging',
      note: input.note,
    });
    return finish(ctx, 'LotSplit', result);
  }

  /** Merges lots into one new lot holding their sum (or less, if given), in the output's unit. */
  @Transaction()
  @Returns('string')
  async MergeLots(ctx: Context, mergeJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const input = parseJsonArgument(MergeLotsDto, mergeJson, 'merge');
    const result = await transform(ctx, plan('merge', member, txInfo(ctx), input, [input.output], 1));
    return finish(ctx, 'LotsMerged', result);
  }

  /** Processes input lots into output lots; outputs may not exceed the inputs times the declared yield. */
  @Transaction()
  @Returns('string')
  async ProcessLots(ctx: Context, processJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const input = parseJsonArgument(ProcessLotsDto, processJson, 'process');
    input.outputs.forEach((output, i) => {
      if (output.quantity === undefined || output.unit === undefined) {
        throw new ChaincodeError('INVALID_ARGUMENT', `outputs[${i}] needs a quantity and unit`, {
          field: `outputs.${i}.quantity`,
        });
      }
    });
    const result = await transform(ctx, {
      ...plan('process', member, txInfo(ctx), input, input.outputs, input.declaredYield ?? 1),
      processType: input.processType,
    });
    return finish(ctx, 'LotsProcessed', result);
  }
}

/** A merge or process plan from its validated argument. */
function plan(
  kind: 'merge' | 'process',
  member: TransformationPlan['member'],
  tx: TransformationPlan['tx'],
  input: MergeLotsDto | ProcessLotsDto,
  outputs: OutputDto[],
  declaredYield: number,
): TransformationPlan {
  return {
    kind,
    member,
    tx,
    inputs: input.inputs.map(({ lotId, quantity, unit }) => ({ lotId, quantity, unit })),
    outputs: outputs.map(outputRequest),
    declaredYield,
    eventTime: input.eventTime,
    bizLocation: input.bizLocation ? plainPlace(input.bizLocation) : undefined,
    stage: input.stage ?? 'processing',
    note: input.note,
  };
}

/** An output DTO as a plain request. */
function outputRequest(output: OutputDto): OutputRequest {
  return {
    gtin: output.gtin,
    lot: output.lot,
    serial: output.serial,
    product: output.product,
    category: output.category,
    quantity: output.quantity,
    unit: output.unit,
    netContent: output.netContent
      ? { quantity: output.netContent.quantity, unit: output.netContent.unit }
      : undefined,
    productionDate: output.productionDate,
    expiryDate: output.expiryDate,
    storageCategory: output.storageCategory,
  };
}

/** Emits the transformation's event and returns its result. */
function finish(
  ctx: Context,
  name: Extract<EventName, 'LotSplit' | 'LotsMerged' | 'LotsProcessed'>,
  result: TransformationResult,
): string {
  emitEvent(ctx, name, transformationEventPayload(result));
  return toJson(result);
}
