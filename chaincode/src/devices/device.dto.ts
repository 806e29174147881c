/** Validation of device registrations, attachments and signed reading batches. */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEVICE_ID_PATTERN, DEVICE_KINDS, MAX_READINGS_PER_BATCH } from '../shared/devices';
import type {
  DeviceAttachment,
  DeviceKind,
  DeviceReading,
  DeviceRegistration,
  ReadingBatch,
} from '../shared/devices';
import { isDateTime } from '../lib/event-time';
import { Rule } from '../lib/rules';

const finite = { allowNaN: false, allowInfinity: false };

/** What a device is attached to. */
export class DeviceAttachmentDto implements DeviceAttachment {
  @IsOptional() @IsString() @Length(1, 100) lotId?: string;
  @IsOptional() @IsString() @Length(1, 100) @Matches(/^[\x21-\x7e]+$/) shipmentId?: string;
  @IsOptional() @Matches(/^[a-z][a-z0-9_]{0,63}$/) storageCategory?: string;
}

/** The JSON argument of RegisterDevice. */
export class DeviceRegistrationDto implements DeviceRegistration {
  @Matches(DEVICE_ID_PATTERN) deviceId!: string;
  @IsIn(DEVICE_KINDS) kind!: DeviceKind;
  @IsString() @Length(1, 1000) publicKeyPem!: string;
  @IsOptional() @ValidateNested() @Type(() => DeviceAttachmentDto) attachedTo?: DeviceAttachmentDto;
}

/** One reading of a batch. */
export class DeviceReadingDto implements DeviceReading {
  @Rule('time', isDateTime, 'must be an ISO 8601 date-time with offset', 'MALFORMED_DATE') time!: string;
  @IsNumber(finite) @Min(-100) @Max(150) temperature!: number;
  @IsOptional() @IsNumber(finite) @Min(0) @Max(100) humidity?: number;
  @IsOptional() @IsNumber(finite) @Min(-90) @Max(90) lat?: number;
  @IsOptional() @IsNumber(finite) @Min(-180) @Max(180) lon?: number;
}

/** The JSON argument of SubmitReadings. */
export class ReadingBatchDto implements ReadingBatch {
  @Matches(DEVICE_ID_PATTERN) deviceId!: string;
  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) sequence!: number;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_READINGS_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => DeviceReadingDto)
  readings!: DeviceReadingDto[];
  @IsString() @Length(1, 200) signature!: string;
}
