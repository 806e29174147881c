/** Validation of lot inputs (CreateLot, RecordEvent) and of the places, measures and sensor data inside them. */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ACTIONS, DISPOSITIONS, EVENT_TYPES, LIFE_CYCLE_STAGES, isBizStep } from '../shared/epcis';
import type {
  BizTransaction,
  Disposition,
  EpcisAction,
  EpcisEventType,
  LifeCycleStage,
  Place,
  SensorElement,
  SensorReport,
} from '../shared/epcis';
import { gtinProblem, isAi82Value, isGln, isIsoDate } from '../shared/gs1';
import { isRegionCode } from '../shared/licences';
import { STORAGE_CATEGORIES } from '../shared/lots';
import type { CreateLotInput, StorageCategory } from '../shared/lots';
import { UNIT_SYMBOLS, isQuantity } from '../shared/units';
import type { Measure, Unit } from '../shared/units';
import { isDateTime } from '../lib/event-time';
import { Rule } from '../lib/rules';

/** A GTIN field: MALFORMED_GTIN unless 8/12/13/14 digits, BAD_CHECK_DIGIT if the check digit is wrong. */
export function GtinField(): PropertyDecorator {
  return (target, key) => {
    Rule(
      'gtinFormat',
      (v) => typeof v === 'string' && gtinProblem(v)?.code !== 'MALFORMED_GTIN',
      'must be a GTIN-8, -12, -13 or -14',
      'MALFORMED_GTIN',
    )(target, key);
    Rule(
      'gtinCheckDigit',
      (v) => typeof v !== 'string' || gtinProblem(v)?.code !== 'BAD_CHECK_DIGIT',
      'has a wrong GS1 check digit',
      'BAD_CHECK_DIGIT',
    )(target, key);
  };
}

/** A batch/lot number field (AI 10). */
export function LotNumberField(): PropertyDecorator {
  return Rule(
    'lotNumber',
    (v) => typeof v === 'string' && isAi82Value(v),
    'must be 1-20 characters of GS1 character set 82',
    'MALFORMED_LOT_NUMBER',
  );
}

/** A quantity field: positive, at most 1e12, six decimals at most. */
export function QuantityField(): PropertyDecorator {
  return Rule(
    'quantity',
    isQuantity,
    'must be a positive number with at most six decimals',
    'INVALID_ARGUMENT',
  );
}

/** A unit field. */
export function UnitField(): PropertyDecorator {
  return Rule(
    'unit',
    (v) => typeof v === 'string' && (UNIT_SYMBOLS as string[]).includes(v),
    `must be one of ${UNIT_SYMBOLS.join(', ')}`,
    'INVALID_UNIT',
  );
}

/** A YYYY-MM-DD date field. */
export function DateField(): PropertyDecorator {
  return Rule(
    'isoDate',
    (v) => typeof v === 'string' && isIsoDate(v),
    'must be a date YYYY-MM-DD',
    'MALFORMED_DATE',
  );
}

/** An ISO 8601 date-time with offset. */
export function DateTimeField(): PropertyDecorator {
  return Rule('dateTime', isDateTime, 'must be an ISO 8601 date-time with offset', 'INVALID_ARGUMENT');
}

/** A place: GLN and/or administrative region, optional coordinates and address. */
export class PlaceDto implements Place {
  @IsOptional()
  @Rule(
    'gln',
    (v) => typeof v === 'string' && isGln(v),
    'must be a 13-digit GLN with a valid check digit',
    'MALFORMED_GLN',
  )
  gln?: string;
  @IsOptional()
  @Rule(
    'region',
    (v) => typeof v === 'string' && isRegionCode(v),
    'must be a GB/T 2260 division code',
    'INVALID_REGION',
  )
  region?: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-90) @Max(90) latitude?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-180) @Max(180) longitude?: number;
  @IsOptional() @IsString() @Length(1, 300) address?: string;
}

/** A quantity with a unit. */
export class MeasureDto implements Measure {
  @QuantityField() quantity!: number;
  @UnitField() unit!: Unit;
}

/** A business transaction reference. */
export class BizTransactionDto implements BizTransaction {
  @IsString() @Length(1, 100) type!: string;
  @IsString() @Length(1, 200) bizTransaction!: string;
}

/** An EPCIS sensor report. */
export class SensorReportDto implements SensorReport {
  @IsString() @Length(1, 100) type!: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) value?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) minValue?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) maxValue?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) meanValue?: number;
  @IsOptional() @IsString() @Length(1, 20) uom?: string;
  @IsOptional() @IsString() @Length(1, 200) stringValue?: string;
  @IsOptional() @IsString() @Length(1, 200) chemicalSubstance?: string;
  @IsOptional() @IsString() @Length(1, 200) microorganism?: string;
  @IsOptional() @DateTimeField() time?: string;
  @IsOptional() @IsIn(['ALARM_CONDITION', 'ERROR_CONDITION']) exception?:
    'ALARM_CONDITION' | 'ERROR_CONDITION';
}

/** Metadata of the device behind a sensor element. */
export class SensorMetadataDto {
  @IsOptional() @IsString() @Length(1, 200) deviceID?: string;
  @IsOptional() @DateTimeField() time?: string;
  @IsOptional() @DateTimeField() startTime?: string;
  @IsOptional() @DateTimeField() endTime?: string;
  @IsOptional() @IsString() @Length(1, 200) bizRules?: string;
}

/** An EPCIS sensor element. */
export class SensorElementDto implements SensorElement {
  @IsOptional() @ValidateNested() @Type(() => SensorMetadataDto) sensorMetadata?: SensorMetadataDto;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SensorReportDto)
  sensorReport!: SensorReportDto[];
}

/** The JSON argument of CreateLot. */
export class CreateLotDto implements CreateLotInput {
  @GtinField() gtin!: string;
  @LotNumberField() lot!: string;
  @IsOptional()
  @Rule(
    'serial',
    (v) => typeof v === 'string' && isAi82Value(v),
    'must be 1-20 characters of GS1 character set 82',
    'MALFORMED_SERIAL',
  )
  serial?: string;
  @IsString() @Length(1, 200) product!: string;
  @IsString() @Length(1, 100) category!: string;
  @QuantityField() quantity!: number;
  @UnitField() unit!: Unit;
  @IsOptional() @ValidateNested() @Type(() => MeasureDto) netContent?: MeasureDto;
  @ValidateNested() @Type(() => PlaceDto) origin!: PlaceDto;
  @IsOptional() @DateField() productionDate?: string;
  @IsOptional() @DateField() harvestDate?: string;
  @IsOptional() @DateField() expiryDate?: string;
  @IsOptional() @IsIn(STORAGE_CATEGORIES) storageCategory?: StorageCategory;
  @IsOptional() @DateTimeField() eventTime?: string;
  @IsOptional() @IsIn(LIFE_CYCLE_STAGES) stage?: LifeCycleStage;
  @IsOptional() @IsString() @Length(1, 1000) note?: string;
}

/** The JSON argument of RecordEvent. */
export class RecordEventDto {
  @IsString() @Length(1, 100) lotId!: string;
  @IsOptional()
  @Rule(
    'eventType',
    (v) => (EVENT_TYPES as readonly unknown[]).includes(v),
    `must be one of ${EVENT_TYPES.join(', ')}`,
    'INVALID_EVENT',
  )
  eventType?: EpcisEventType;
  @IsOptional()
  @Rule(
    'action',
    (v) => (ACTIONS as readonly unknown[]).includes(v),
    `must be one of ${ACTIONS.join(', ')}`,
    'INVALID_EVENT',
  )
  action?: EpcisAction;
  @Rule('bizStep', isBizStep, 'must be a CBV 2.0 business step or an extension URI', 'INVALID_EVENT')
  bizStep!: string;
  @IsOptional()
  @Rule(
    'disposition',
    (v) => (DISPOSITIONS as readonly unknown[]).includes(v),
    'must be a CBV 2.0 disposition',
    'INVALID_EVENT',
  )
  disposition?: Disposition;
  @IsOptional() @IsIn(LIFE_CYCLE_STAGES) stage?: LifeCycleStage;
  @IsOptional() @DateTimeField() eventTime?: string;
  @IsOptional() @ValidateNested() @Type(() => PlaceDto) readPoint?: PlaceDto;
  @IsOptional() @ValidateNested() @Type(() => PlaceDto) bizLocation?: PlaceDto;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => BizTransactionDto)
  bizTransactionList?: BizTransactionDto[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SensorElementDto)
  sensorElementList?: SensorElementDto[];
  @IsOptional() @QuantityField() quantity?: number;
  @IsOptional() @UnitField() unit?: Unit;
  @IsOptional() @IsString() @Length(1, 200) parentID?: string;
  @IsOptional() @IsString() @Length(1, 500) certificationInfo?: string;
  @IsOptional() @IsString() @Length(1, 1000) note?: string;
}
