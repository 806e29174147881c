/** Validation of the SplitLot, MergeLots and ProcessLots arguments. */
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
  ValidateNested,
} from 'class-validator';
import { LIFE_CYCLE_STAGES } from '../shared/epcis';
import type { LifeCycleStage } from '../shared/epcis';
import { isAi82Value } from '../shared/gs1';
import { STORAGE_CATEGORIES } from '../shared/lots';
import type { StorageCategory } from '../shared/lots';
import type { Unit } from '../shared/units';
import { Rule } from '../lib/rules';
import {
  DateField,
  DateTimeField,
  GtinField,
  LotNumberField,
  MeasureDto,
  PlaceDto,
  QuantityField,
  UnitField,
} from '../lots/lot-dto';

/** Most input lots of one transformation. */
export const MAX_TRANSFORMATION_INPUTS = 50;
/** Most output lots of one transformation. */
export const MAX_TRANSFORMATION_OUTPUTS = 100;

/** A lot consumed by a transformation and how much of it: default all that remains; the lot's unit unless given. */
export class InputDto {
  @IsString() @Length(1, 100) lotId!: string;
  @IsOptional() @QuantityField() quantity?: number;
  @IsOptional() @UnitField() unit?: Unit;
}

/** A new lot a transformation produces; unset descriptive fields come from the inputs. */
export class OutputDto {
  @IsOptional() @GtinField() gtin?: string;
  @LotNumberField() lot!: string;
  @IsOptional()
  @Rule(
    'serial',
    (v) => typeof v === 'string' && isAi82Value(v),
    'must be 1-20 characters of GS1 character set 82',
    'MALFORMED_SERIAL',
  )
  serial?: string;
  @IsOptional() @IsString() @Length(1, 200) product?: string;
  @IsOptional() @IsString() @Length(1, 100) category?: string;
  @IsOptional() @QuantityField() quantity?: number;
  @IsOptional() @UnitField() unit?: Unit;
  @IsOptional() @ValidateNested() @Type(() => MeasureDto) netContent?: MeasureDto;
  @IsOptional() @DateField() productionDate?: string;
  @IsOptional() @DateField() expiryDate?: string;
  @IsOptional() @IsIn(STORAGE_CATEGORIES) storageCategory?: StorageCategory;
}

/** Fields common to every transformation. */
class TransformationDto {
  @IsOptional() @DateTimeField() eventTime?: string;
  @IsOptional() @ValidateNested() @Type(() => PlaceDto) bizLocation?: PlaceDto;
  @IsOptional() @IsIn(LIFE_CYCLE_STAGES) stage?: LifeCycleStage;
  @IsOptional() @IsString() @Length(1, 1000) note?: string;
}

/** The JSON argument of SplitLot: one lot into several, each output with its quantity. */
export class SplitLotDto extends TransformationDto {
  @IsString() @Length(1, 100) lotId!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TRANSFORMATION_OUTPUTS)
  @ValidateNested({ each: true })
  @Type(() => OutputDto)
  outputs!: OutputDto[];
}

/** The JSON argument of MergeLots: several lots of one product into one. */
export class MergeLotsDto extends TransformationDto {
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(MAX_TRANSFORMATION_INPUTS)
  @ValidateNested({ each: true })
  @Type(() => InputDto)
  inputs!: InputDto[];
  @ValidateNested() @Type(() => OutputDto) output!: OutputDto;
}

/** The JSON argument of ProcessLots: inputs into outputs, outputs within the declared yield of the inputs. */
export class ProcessLotsDto extends TransformationDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TRANSFORMATION_INPUTS)
  @ValidateNested({ each: true })
  @Type(() => InputDto)
  inputs!: InputDto[];
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TRANSFORMATION_OUTPUTS)
  @ValidateNested({ each: true })
  @Type(() => OutputDto)
  outputs!: OutputDto[];
  /** Output mass (or volume) per unit of input, e.g. 0.8 for trimming losses; at most 10 (drying reverses). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Rule('positive', (v) => typeof v === 'number' && v > 0, 'must be positive', 'INVALID_ARGUMENT')
  @Max(10)
  declaredYield?: number;
  @IsOptional() @IsString() @Length(1, 100) processType?: string;
}
