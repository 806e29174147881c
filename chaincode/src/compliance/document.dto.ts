/** Validation of a document recorded for a lot (RecordDocument). */
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { ComplianceDocument } from '../shared/compliance';
import { Rule } from '../lib/rules';
import { isIsoInstant } from './calendar';

/** The JSON argument of RecordDocument; the issuer is the caller's organisation, not a field. */
export class ComplianceDocumentDto implements Omit<ComplianceDocument, 'issuerMsp'> {
  @Matches(/^[a-z][a-z0-9_]{0,63}$/) docType!: string;
  @IsString() @Length(1, 100) @Matches(/^[\x21-\x7e]+$/) id!: string;
  @Rule('issuedAt', isIsoInstant, 'must be an ISO date or timestamp with offset', 'MALFORMED_DATE')
  issuedAt!: string;
  @IsOptional()
  @Rule('validUntil', isIsoInstant, 'must be an ISO date or timestamp with offset', 'MALFORMED_DATE')
  validUntil?: string;
  @IsOptional() @IsIn(['pass', 'fail']) outcome?: 'pass' | 'fail';
}
