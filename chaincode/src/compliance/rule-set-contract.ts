/** Regulations as data (capability 9): regulators publish versioned rule sets; anyone reads them. */
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { RULE_ID_PATTERN } from '../shared/compliance';
import type { RuleSetDraft, RuleSetRecord } from '../shared/compliance';
import { ChaincodeError } from '../shared/errors';
import type { Page } from '../shared/records';
import { emitEvent } from '../lib/events';
import { KEYS } from '../lib/keys';
import { bindOperator } from '../lib/operator';
import { pagePartialKey, pageRecords, parsePageSize } from '../lib/pagination';
import { fromBytes, toJson } from '../lib/serializer';
import { newMeta, txInfo } from '../lib/transaction';
import { assertRegulator } from '../members/member-authorization';
import { parseInstant } from './calendar';
import { DEFAULT_RULE_SET, DEFAULT_RULE_SET_ID } from './default-ruleset';
import { parseRuleSetDraft } from './rule-set.dto';
import {
  MAX_RULE_SETS,
  applicableRuleSets,
  findRuleSetHead,
  getRuleSet,
  rebuildRuleSetCatalog,
  ruleSetHeads,
  saveRuleSet,
} from './rule-set-store';
import type { RuleSetHead } from '../shared/compliance';
import { LedgerContract } from '../lib/ledger-contract';

/** Contract 'rules': the rule sets compliance evaluates events against. */
@Info({ title: 'RuleSetContract', description: 'Versioned rule sets published by regulators' })
export class RuleSetContract extends LedgerContract {
  constructor() {
    super('rules');
  }

  /**
   * Publishes a rule-set version (approved regulators only). A new ID starts at version 1; a known ID takes exactly
   * its latest version + 1, effective no earlier than the latest. Versions are never edited; to withdraw a rule
   * set, publish a version with no rules.
   */
  @Transaction()
  @Returns('string')
  async PublishRuleSet(ctx: Context, ruleSetJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    await assertRegulator(ctx);
    return toJson(await publish(ctx, parseRuleSetDraft(ruleSetJson)));
  }

  /** Publishes the default China baseline rule set as version 1 (approved regulators only; once). */
  @Transaction()
  @Returns('string')
  async SeedDefaultRuleSet(ctx: Context, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    await assertRegulator(ctx);
    if (await findRuleSetHead(ctx, DEFAULT_RULE_SET_ID)) {
      throw new ChaincodeError('RULESET_EXISTS', `rule set ${DEFAULT_RULE_SET_ID} is already published`, {
        id: DEFAULT_RULE_SET_ID,
      });
    }
    // Validated like any submission, so the seed data can never hold a rule the engine would not accept.
    return toJson(await publish(ctx, parseRuleSetDraft(JSON.stringify(DEFAULT_RULE_SET))));
  }

  /**
   * Rebuilds the rule-set catalog from the stored versions (approved regulators only). Needed once on a ledger
   * whose rule sets were published by a chaincode version without the catalog: until then, or the next
   * publication, every recording transaction selects its rule sets the slower way, by the heads.
   */
  @Transaction()
  @Returns('string')
  async IndexRuleSets(ctx: Context, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    await assertRegulator(ctx);
    const catalog = await rebuildRuleSetCatalog(ctx);
    const ruleSets = catalog.entries.map((entry) => ({ id: entry.id, versions: entry.versions.length }));
    emitEvent(ctx, 'RuleSetsIndexed', { ruleSets });
    return toJson({ ruleSets });
  }

  /** One version of a rule set ('' = the latest). */
  @Transaction(false)
  @Returns('string')
  async ReadRuleSet(ctx: Context, id: string, version: string): Promise<string> {
    return toJson(await getRuleSet(ctx, requireRuleSetId(id), parseVersion(version)));
  }

  /** One page of rule sets in ID order, each at its latest version. */
  @Transaction(false)
  @Returns('string')
  async QueryRuleSets(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
    const page = await pagePartialKey(ctx, KEYS.ruleSetHead, [], parsePageSize(pageSize), bookmark ?? '');
    const records: RuleSetRecord[] = [];
    for (const entry of page.entries) {
      const head = fromBytes<RuleSetHead>(entry.value);
      records.push(await getRuleSet(ctx, head.id, head.latestVersion));
    }
    const result: Page<RuleSetRecord> = { records, bookmark: page.bookmark, fetchedCount: page.fetchedCount };
    return toJson(result);
  }

  /** One page of a rule set's versions, oldest first (old versions explain past decisions). */
  @Transaction(false)
  @Returns('string')
  async QueryRuleSetVersions(ctx: Context, id: string, pageSize: string, bookmark: string): Promise<string> {
    const ruleSetId = requireRuleSetId(id);
    return toJson(
      await pageRecords<RuleSetRecord>(
        ctx,
        KEYS.ruleSet,
        [ruleSetId],
        parsePageSize(pageSize),
        bookmark ?? '',
      ),
    );
  }

  /** The rule-set versions in force on a date (ISO date or timestamp): [{id, version, effectiveFrom}]. */
  @Transaction(false)
  @Returns('string')
  async ReadApplicableRuleSets(ctx: Context, date: string): Promise<string> {
    const ruleSets = await applicableRuleSets(ctx, date);
    return toJson(ruleSets.map(({ id, version, effectiveFrom }) => ({ id, version, effectiveFrom })));
  }
}

/** Checks the version sequence and effective date, then stores the version and emits RuleSetPublished. */
async function publish(ctx: Context, draft: RuleSetDraft): Promise<RuleSetRecord> {
  const head = await findRuleSetHead(ctx, draft.id);
  const expected = (head?.latestVersion ?? 0) + 1;
  if (draft.version !== expected) {
    throw new ChaincodeError(
      'RULESET_VERSION_CONFLICT',
      `rule set ${draft.id} must be published as version ${expected}`,
      { id: draft.id, version: draft.version, expected },
    );
  }
  // A version effective before its predecessor would rewrite which rules governed past events.
  if (
    head &&
    parseInstant(draft.effectiveFrom, 'effectiveFrom') <
      parseInstant(head.latestEffectiveFrom, 'effectiveFrom')
  ) {
    throw new ChaincodeError(
      'EFFECTIVE_DATE_REGRESSION',
      `version ${draft.version} of ${draft.id} cannot take effect before version ${head.latestVersion}`,
      { id: draft.id, effectiveFrom: draft.effectiveFrom, previousEffectiveFrom: head.latestEffectiveFrom },
    );
  }
  if (!head) {
    const { heads } = await ruleSetHeads(ctx);
    if (heads.length >= MAX_RULE_SETS) {
      throw new ChaincodeError('RULESET_LIMIT_REACHED', `at most ${MAX_RULE_SETS} rule sets may exist`, {
        limit: MAX_RULE_SETS,
      });
    }
  }
  const tx = txInfo(ctx);
  const record: RuleSetRecord = {
    ...newMeta(tx),
    docType: 'ruleSet',
    ...draft,
    issuer: tx.actor.mspId,
    publishedTxId: tx.txId,
  };
  await saveRuleSet(ctx, record);
  emitEvent(ctx, 'RuleSetPublished', { ruleSet: record });
  return record;
}

/** Refuses a malformed rule-set ID. */
function requireRuleSetId(id: string): string {
  if (typeof id !== 'string' || !RULE_ID_PATTERN.test(id)) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'id must be a rule-set ID', { id });
  }
  return id;
}

/** '' = latest (undefined); otherwise a positive integer. */
function parseVersion(version: string): number | undefined {
  if (version === undefined || version === null || version.trim() === '') return undefined;
  if (!/^\d{1,6}$/.test(version.trim()) || Number(version) < 1) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'version must be a positive integer or empty', { version });
  }
  return Number(version);
}
