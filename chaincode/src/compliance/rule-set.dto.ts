/**
 * Validation of a rule set submitted to PublishRuleSet. The envelope is checked as any JSON argument; each rule is
 * checked against the class of its kind, and a bad rule is refused with MALFORMED_RULE naming its index and field,
 * so a regulator can find the mistake in a rule set of hundreds of rules.
 */
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
} from 'class-validator';
import type { ClassConstructor } from 'class-transformer';
import { RULE_ID_PATTERN, RULE_KINDS } from '../shared/compliance';
import type { Rule, RuleKind, RuleSetDraft } from '../shared/compliance';
import { isBizStep } from '../shared/epcis';
import { ChaincodeError } from '../shared/errors';
import { MEMBER_ROLES } from '../shared/members';
import type { MemberRole } from '../shared/members';
import { Rule as FieldRule } from '../lib/rules';
import { parseJsonArgument, validateObject } from '../lib/validation';
import { isIsoInstant } from './calendar';

/** Most rules one rule-set version may hold (GB 2763 alone has ~10,000 limits: publish it as several sets). */
export const MAX_RULES_PER_SET = 500;

/** A category path: '*' or lower-case segments separated by '/': 'vegetables/cowpea'. */
const CATEGORY_PATTERN = /^(\*|[a-z0-9_-]{1,40}(\/[a-z0-9_-]{1,40}){0,5})$/;
/** A document type or cold-chain category: a lower-case word ('animal_quarantine_certificate'). */
const WORD_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

const finite = { allowNaN: false, allowInfinity: false };

/** A list of product categories (absent = every category). */
function Categories(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMinSize(1)(target, key);
    ArrayMaxSize(100)(target, key);
    Matches(CATEGORY_PATTERN, { each: true, message: 'each category must be a lower-case path or *' })(
      target,
      key,
    );
  };
}

/** A list of CBV business steps. */
function BizSteps(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMinSize(1)(target, key);
    ArrayMaxSize(50)(target, key);
    FieldRule(
      'bizSteps',
      (v) => Array.isArray(v) && v.every(isBizStep),
      'must be CBV business steps',
      'MALFORMED_RULE',
    )(target, key);
  };
}

/** A list of member roles. */
function Roles(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMinSize(1)(target, key);
    IsIn(MEMBER_ROLES, { each: true })(target, key);
  };
}

/** Fields of every rule. */
class RuleBaseDto {
  @Matches(RULE_ID_PATTERN) id!: string;
  @IsIn(RULE_KINDS) kind!: RuleKind;
  @IsOptional() @IsString() @Length(1, 200) title?: string;
  @IsOptional() @IsString() @Length(1, 300) reference?: string;
}

/** An 'mrl' rule. */
class MrlRuleDto extends RuleBaseDto {
  @IsString() @Length(1, 100) substance!: string;
  @Matches(CATEGORY_PATTERN) productCategory!: string;
  @IsNumber(finite) @Min(0) @Max(100000) limit!: number;
  @IsIn(['mg/kg']) unit!: 'mg/kg';
}

/** A 'banned' rule. */
class BannedRuleDto extends RuleBaseDto {
  @IsString() @Length(1, 100) substance!: string;
  @Categories() productCategories?: string[];
}

/** A 'temperature' rule. */
class TemperatureRuleDto extends RuleBaseDto {
  @Matches(WORD_PATTERN) category!: string;
  @IsOptional() @IsNumber(finite) @Min(-100) @Max(100) min?: number;
  @IsOptional() @IsNumber(finite) @Min(-100) @Max(100) max?: number;
  @IsIn(['°C']) unit!: '°C';
  @IsNumber(finite) @Min(0) @Max(10080) toleratedExcursionMinutes!: number;
  @IsOptional() @IsNumber(finite) @Min(0) @Max(100) maxInstantDeviation?: number;
}

/** A 'required_document' rule. */
class RequiredDocumentRuleDto extends RuleBaseDto {
  @Matches(WORD_PATTERN) docType!: string;
  @FieldRule('beforeBizStep', isBizStep, 'must be a CBV business step', 'MALFORMED_RULE')
  beforeBizStep!: string;
  @Categories() productCategories?: string[];
  @IsInt() @Min(1) @Max(3660) validityDays!: number;
  @Roles() issuerRoles?: MemberRole[];
}

/** A 'qualification' rule. */
class QualificationRuleDto extends RuleBaseDto {
  @BizSteps() bizSteps?: string[];
  @Roles() requireFoodLicenceFor?: MemberRole[];
}

/** A 'shelf_life' rule. */
class ShelfLifeRuleDto extends RuleBaseDto {
  @BizSteps() bizSteps?: string[];
  @Categories() productCategories?: string[];
}

/** The class that validates each kind of rule. */
const RULE_CLASSES: Readonly<Record<RuleKind, ClassConstructor<RuleBaseDto>>> = {
  mrl: MrlRuleDto,
  banned: BannedRuleDto,
  temperature: TemperatureRuleDto,
  required_document: RequiredDocumentRuleDto,
  qualification: QualificationRuleDto,
  shelf_life: ShelfLifeRuleDto,
};

/** The envelope of a rule set; its rules are checked one by one afterwards. */
class RuleSetDraftDto {
  @Matches(RULE_ID_PATTERN) id!: string;
  @IsInt() @Min(1) @Max(999999) version!: number;
  @IsString() @Length(1, 300) title!: string;
  @FieldRule('effectiveFrom', isIsoInstant, 'must be an ISO date or timestamp with offset', 'MALFORMED_DATE')
  effectiveFrom!: string;
  @IsArray() @ArrayMaxSize(MAX_RULES_PER_SET) rules!: unknown[];
}

/** Parses and validates a rule-set argument into plain data; MALFORMED_RULE names the first bad rule. */
export function parseRuleSetDraft(json: string): RuleSetDraft {
  const envelope = parseJsonArgument(RuleSetDraftDto, json, 'ruleSet');
  return {
    id: envelope.id,
    version: envelope.version,
    title: envelope.title,
    effectiveFrom: envelope.effectiveFrom,
    rules: validateRules(envelope.rules),
  };
}

/** Validates every rule; refuses the first malformed one with its index and field. */
export function validateRules(rules: readonly unknown[]): Rule[] {
  const seen = new Set<string>();
  return rules.map((raw, index) => {
    const rule = validateRule(raw, index);
    if (seen.has(rule.id)) throw malformed(index, 'id', [`duplicate rule id ${rule.id}`], rule.id);
    seen.add(rule.id);
    return rule;
  });
}

/** One rule, validated against its kind's class and checked for consistency between fields. */
function validateRule(raw: unknown, index: number): Rule {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw malformed(index, '', ['a rule must be a JSON object']);
  }
  const plain = raw as Record<string, unknown>;
  const kind = plain.kind;
  const ruleClass = typeof kind === 'string' ? RULE_CLASSES[kind as RuleKind] : undefined;
  if (!ruleClass || !Object.prototype.hasOwnProperty.call(RULE_CLASSES, kind as string)) {
    throw malformed(index, 'kind', [`kind must be one of ${RULE_KINDS.join(', ')}`], plain.id);
  }
  try {
    validateObject(ruleClass, plain, `rules[${index}]`);
  } catch (error) {
    if (!(error instanceof ChaincodeError)) throw error;
    const fields = (error.details as { fields?: { field: string; messages: string[] }[] } | undefined)
      ?.fields;
    const first = fields?.[0];
    throw malformed(index, first?.field ?? '', first?.messages ?? [error.reason], plain.id);
  }
  // A validated instance holds only declared fields; a JSON copy makes it plain data for the ledger.
  const rule = JSON.parse(JSON.stringify(plain)) as Rule;
  if (rule.kind === 'temperature') {
    if (rule.min === undefined && rule.max === undefined) {
      throw malformed(index, 'min', ['a temperature rule needs min, max or both'], rule.id);
    }
    if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
      throw malformed(index, 'min', ['min must not be above max'], rule.id);
    }
  }
  return rule;
}

/** The MALFORMED_RULE error for rule `index`. */
function malformed(index: number, field: string, messages: string[], ruleId?: unknown): ChaincodeError {
  const where = field ? `rules[${index}].${field}` : `rules[${index}]`;
  return new ChaincodeError('MALFORMED_RULE', `${where}: ${messages.join('; ')}`, {
    index,
    field,
    ruleId: typeof ruleId === 'string' ? ruleId : undefined,
    messages,
  });
}
