/**
 * Request bodies and queries of the member registry routes. The rules are the chaincode's own (shared validators
 * and constants), so the gateway refuses exactly what the chaincode would, one network round trip earlier.
 */
import { Transform, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  isCreditCode,
  isFoodProductionLicence,
  isRegionCode,
} from '@agritrace/chaincode/dist/shared/licences';
import {
  MEMBER_ROLES,
  MEMBER_STATUSES,
  ROLES_REQUIRING_FOOD_LICENCE,
} from '@agritrace/chaincode/dist/shared/members';
import type {
  MemberContact,
  MemberParticulars,
  MemberRole,
  MemberStatus,
} from '@agritrace/chaincode/dist/shared/members';
import { MAX_PAGE_SIZE } from '@agritrace/chaincode/dist/shared/records';
import { Rule } from '../validation';

/** MSP IDs as the chaincode accepts them. */
export const MSP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** How a member can be reached (all optional). */
export class MemberContactDto implements MemberContact {
  @IsOptional() @IsString() @Length(1, 100) person?: string;
  @IsOptional() @IsString() @Matches(/^\+?[0-9][0-9 -]{4,30}$/) phone?: string;
  @IsOptional() @IsEmail() @MaxLength(200) email?: string;
  @IsOptional() @IsString() @Length(1, 300) address?: string;
}

/** Body of POST /members and POST /alliance/bootstrap: the organisation's enterprise particulars. */
export class MemberParticularsDto implements MemberParticulars {
  @IsString() @Length(1, 200) name!: string;

  @IsIn(MEMBER_ROLES) role!: MemberRole;

  @Rule(
    'isCreditCode',
    (value) => typeof value === 'string' && isCreditCode(value),
    'must be an 18-character unified social credit code with a valid GB 32100 check character',
    'INVALID_BUSINESS_LICENCE',
  )
  businessLicence!: string;

  // Required for producers and processors; checked whenever it is given.
  @ValidateIf(
    (o: MemberParticularsDto) =>
      ROLES_REQUIRING_FOOD_LICENCE.includes(o.role) || o.foodProductionLicence !== undefined,
  )
  @Rule(
    'isFoodProductionLicence',
    (value) => typeof value === 'string' && isFoodProductionLicence(value),
    "must be a food production licence ('SC' + 14 digits); producers and processors must give one",
    'INVALID_FOOD_LICENCE',
  )
  foodProductionLicence?: string;

  @Rule(
    'isRegionCode',
    (value) => typeof value === 'string' && isRegionCode(value),
    'must be a 6-digit GB/T 2260 administrative division code',
    'INVALID_REGION',
  )
  region!: string;

  @IsOptional() @ValidateNested() @Type(() => MemberContactDto) contact?: MemberContactDto;
}

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
