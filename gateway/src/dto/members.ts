/**
 * Request bodies and queries of the member registry routes. The particulars are validated by the chaincode's own
 * DTO (the same class, rules and error codes), so the gateway refuses exactly what the chaincode would, one network
 * round trip earlier.
 */
import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { MEMBER_STATUSES } from '@agritrace/chaincode/dist/shared/members';
import type { MemberStatus } from '@agritrace/chaincode/dist/shared/members';
import { MAX_PAGE_SIZE } from '@agritrace/chaincode/dist/shared/records';

export {
  MemberContactDto,
  MemberParticularsDto,
} from '@agritrace/chaincode/dist/members/member-particulars.dto';

/** MSP IDs as the chaincode accepts them. */
export const MSP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Body of POST /members/:mspId/approve|suspend|revoke: why the regulator decides so. */
export class DecisionDto {
  @IsString() @Length(1, 500) @Matches(/\S/, { message: 'reason must not be blank' }) reason!: string;
}

/** Query of GET /members: optional status filter and pagination. */
export class QueryMembersDto {
  @IsOptional() @IsIn(MEMBER_STATUSES) status?: MemberStatus;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'pageSize must be an integer' })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;

  @IsOptional() @IsString() @MaxLength(2048) bookmark?: string;
}
