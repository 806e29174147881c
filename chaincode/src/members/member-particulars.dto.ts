/** Validation of the particulars a member submits (RegisterMember, BootstrapAlliance). */
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { isCreditCode, isFoodProductionLicence, isRegionCode } from '../shared/licences';
import { MEMBER_ROLES, ROLES_REQUIRING_FOOD_LICENCE } from '../shared/members';
import type { MemberContact, MemberParticulars, MemberRole } from '../shared/members';
import { Rule } from '../lib/rules';

/** Contact details of a member (all optional). */
export class MemberContactDto implements MemberContact {
  @IsOptional() @IsString() @Length(1, 100) person?: string;
  @IsOptional() @IsString() @Matches(/^\+?[0-9][0-9 -]{4,30}$/) phone?: string;
  @IsOptional() @IsEmail() @MaxLength(200) email?: string;
  @IsOptional() @IsString() @Length(1, 300) address?: string;
}

/** The particulars argument of RegisterMember and BootstrapAlliance. */
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

  // Required for producers and processors (food production licensing); checked whenever it is given.
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
