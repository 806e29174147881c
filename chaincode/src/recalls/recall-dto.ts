/** Validation of the RecallLot argument. */
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { RECALL_MAX_BATCH, RECALL_SEVERITIES } from '../shared/recalls';
import type { RecallLotInput, RecallSeverity } from '../shared/recalls';

/** The JSON argument of RecallLot. */
export class RecallLotDto implements RecallLotInput {
  @IsString() @Length(1, 100) lotId!: string;
  @IsString() @Length(1, 1000) reason!: string;
  @IsIn(RECALL_SEVERITIES) severity!: RecallSeverity;
  @IsOptional() @IsInt() @Min(1) @Max(RECALL_MAX_BATCH) batchSize?: number;
}
