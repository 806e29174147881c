/**
 * Rule-set versions on the ledger: each version under its own key, never rewritten, a head per rule-set ID naming
 * its latest version, and one catalog record listing every ID with its versions' effective dates and its latest
 * version whole. Selecting the rule sets that apply on a date reads the catalog (one request on every recording
 * transaction) and an older version only when an event predates the latest one. A ledger written before the
 * catalog existed is read through the heads until the next publication builds the catalog.
 */
import type { Context } from 'fabric-contract-api';
import type {
  RuleSet,
  RuleSetCatalog,
  RuleSetCatalogEntry,
  RuleSetHead,
  RuleSetRecord,
} from '../shared/compliance';
import { ChaincodeError } from '../shared/errors';
import { KEYS } from '../lib/keys';
import { scanPartialKey } from '../lib/pagination';
import { fromBytes } from '../lib/serializer';
import { readSharedState, readState, writeState } from '../lib/state';
import { parseInstant } from './calendar';

/** Most rule-set IDs the alliance may publish; every event reads all their heads, so the number stays small. */
export const MAX_RULE_SETS = 100;

/** A version number as a fixed-width key attribute, so that key order is version order. */
export function versionAttribute(version: number): string {
  return String(version).padStart(6, '0');
}

/** World-state key of one rule-set version. */
export function ruleSetKey(ctx: Context, id: string, version: number): string {
  return ctx.stub.createCompositeKey(KEYS.ruleSet, [id, versionAttribute(version)]);
}

/** World-state key of a rule-set ID's head. */
export function ruleSetHeadKey(ctx: Context, id: string): string {
  return ctx.stub.createCompositeKey(KEYS.ruleSetHead, [id]);
}

/** The head of a rule-set ID, or undefined if it was never published. */
export async function findRuleSetHead(ctx: Context, id: string): Promise<RuleSetHead | undefined> {
  return readState<RuleSetHead>(ctx, ruleSetHeadKey(ctx, id));
}

/** One version of a rule set, or undefined. */
export async function findRuleSet(
  ctx: Context,
  id: string,
  version: number,
): Promise<RuleSetRecord | undefined> {
  return readState<RuleSetRecord>(ctx, ruleSetKey(ctx, id, version));
}

/** One version of a rule set (latest when `version` is undefined); RULESET_NOT_FOUND if absent. */
export async function getRuleSet(ctx: Context, id: string, version?: number): Promise<RuleSetRecord> {
  const resolved = version ?? (await findRuleSetHead(ctx, id))?.latestVersion;
  const record = resolved === undefined ? undefined : await findRuleSet(ctx, id, resolved);
  if (!record) {
    throw new ChaincodeError(
      'RULESET_NOT_FOUND',
      `rule set ${id}${version ? ` version ${version}` : ''} does not exist`,
      {
        id,
        version: version ?? null,
      },
    );
  }
  return record;
}

/** World-state key of the rule-set catalog. */
export function ruleSetCatalogKey(ctx: Context): string {
  return ctx.stub.createCompositeKey(KEYS.ruleSetCatalog, []);
}

/** The catalog, or undefined on a ledger where no version was published since it was introduced. */
export async function findRuleSetCatalog(ctx: Context): Promise<RuleSetCatalog | undefined> {
  return readSharedState<RuleSetCatalog>(ctx, ruleSetCatalogKey(ctx));
}

/** Stores a new version, moves the head to it and rewrites the catalog with it. */
export async function saveRuleSet(ctx: Context, record: RuleSetRecord): Promise<void> {
  await writeState(ctx, ruleSetKey(ctx, record.id, record.version), record);
  const head: RuleSetHead = {
    docType: 'ruleSetHead',
    id: record.id,
    latestVersion: record.version,
    latestEffectiveFrom: record.effectiveFrom,
  };
  await writeState(ctx, ruleSetHeadKey(ctx, record.id), head);
  const entries = (await findRuleSetCatalog(ctx))?.entries ?? (await catalogFromHeads(ctx));
  const previous = entries.find((entry) => entry.id === record.id);
  const entry: RuleSetCatalogEntry = {
    id: record.id,
    versions: [
      ...(previous?.versions ?? []),
      { version: record.version, effectiveFrom: record.effectiveFrom },
    ],
    latest: plainRuleSet(record),
  };
  const catalog: RuleSetCatalog = {
    docType: 'ruleSetCatalog',
    entries: [...entries.filter((other) => other.id !== record.id), entry].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    ),
  };
  await writeState(ctx, ruleSetCatalogKey(ctx), catalog);
}

/** Writes the catalog anew from the heads and the stored versions (IndexRuleSets); returns it. */
export async function rebuildRuleSetCatalog(ctx: Context): Promise<RuleSetCatalog> {
  const catalog: RuleSetCatalog = { docType: 'ruleSetCatalog', entries: await catalogFromHeads(ctx) };
  await writeState(ctx, ruleSetCatalogKey(ctx), catalog);
  return catalog;
}

/** The catalog entries of a ledger published before the catalog existed, read from the heads and versions. */
async function catalogFromHeads(ctx: Context): Promise<RuleSetCatalogEntry[]> {
  const { heads } = await ruleSetHeads(ctx);
  const entries: RuleSetCatalogEntry[] = [];
  for (const head of heads) {
    const versions: RuleSetCatalogEntry['versions'] = [];
    let latest: RuleSetRecord | undefined;
    for (let version = 1; version <= head.latestVersion; version++) {
      const record = await findRuleSet(ctx, head.id, version);
      if (!record) continue;
      versions.push({ version, effectiveFrom: record.effectiveFrom });
      latest = record;
    }
    if (latest) entries.push({ id: head.id, versions, latest: plainRuleSet(latest) });
  }
  return entries;
}

/** Every rule-set head, in ID order (at most MAX_RULE_SETS, and `more` if the cap was reached). */
export async function ruleSetHeads(ctx: Context): Promise<{ heads: RuleSetHead[]; more: boolean }> {
  const { entries, more } = await scanPartialKey(ctx, KEYS.ruleSetHead, [], MAX_RULE_SETS);
  return { heads: entries.map((entry) => fromBytes<RuleSetHead>(entry.value)), more };
}

/**
 * For each rule-set ID, the highest version whose effectiveFrom is on or before `date` (an ISO date or timestamp):
 * a new version governs events from its effective date on, and events before it keep the version then in force.
 * Versions' effective dates never decrease (PublishRuleSet refuses that), so the walk stops at the first match.
 */
export async function applicableRuleSets(ctx: Context, date: string): Promise<RuleSet[]> {
  const at = parseInstant(date, 'date');
  const catalog = await findRuleSetCatalog(ctx);
  if (!catalog) return applicableFromHeads(ctx, at);
  const applicable: RuleSet[] = [];
  for (const entry of catalog.entries) {
    const inForce = [...entry.versions]
      .reverse()
      .find((version) => parseInstant(version.effectiveFrom, 'effectiveFrom') <= at);
    if (!inForce) continue;
    if (inForce.version === entry.latest.version) {
      applicable.push(entry.latest);
      continue;
    }
    const record = await findRuleSet(ctx, entry.id, inForce.version);
    if (record) applicable.push(plainRuleSet(record));
  }
  return applicable;
}

/** applicableRuleSets on a ledger without a catalog: the heads, then each ID's versions down from the latest. */
async function applicableFromHeads(ctx: Context, at: number): Promise<RuleSet[]> {
  const { heads } = await ruleSetHeads(ctx);
  const applicable: RuleSet[] = [];
  for (const head of heads) {
    for (let version = head.latestVersion; version >= 1; version--) {
      const record = await findRuleSet(ctx, head.id, version);
      if (record && parseInstant(record.effectiveFrom, 'effectiveFrom') <= at) {
        applicable.push(plainRuleSet(record));
        break;
      }
    }
  }
  return applicable;
}

/** A stored version without its storage provenance. */
export function plainRuleSet(record: RuleSetRecord): RuleSet {
  return {
    id: record.id,
    version: record.version,
    title: record.title,
    issuer: record.issuer,
    effectiveFrom: record.effectiveFrom,
    publishedTxId: record.publishedTxId,
    rules: record.rules,
  };
}
