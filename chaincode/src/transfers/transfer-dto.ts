/** Validation of the OfferTransfer argument. */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { OfferTransferInput } from '../shared/transfers';
import { BizTransactionDto } from '../lots/lot-dto';

/** The JSON argument of OfferTransfer. */
export class OfferTransferDto implements OfferTransferInput {
  @IsString() @Length(1, 100) lotId!: string;
  @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/) to!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => BizTransactionDto)
  bizTransactionList?: BizTransactionDto[];
  @IsOptional() @IsString() @Length(1, 1000) note?: string;
}
