/**
 * The default rule set a regulator publishes once with SeedDefaultRuleSet: data, not code, in the same shape as
 * any PublishRuleSet argument (a later version replaces it without a chaincode upgrade). Sources are in
 * /work/shared/reference/domain-anchors.md §3.3; values tagged [M] there are marked "verify" in `reference` and
 * must be checked against the published standard text before production use.
 *
 * Choices of ours, not of a standard: a 30-minute tolerated excursion (door openings and handovers at loading,
 * which GB 31605 requires to be checked, take minutes, not hours); a reading more than 4 °C above the chilled range
 * (8 °C, the upper bound GB/T 24616 gives for chilled food) or more than 6 °C above the frozen bound (-12 °C) fails
 * at once; an inspection pass stays valid for 30 days.
 */
import type { RuleSetDraft } from '../shared/compliance';

/** The ID under which the default rule set is published. */
export const DEFAULT_RULE_SET_ID = 'cn-baseline';

/** China baseline: GB 2763-2021 limits, banned pesticides, cold chain, certificates, qualification, shelf life. */
export const DEFAULT_RULE_SET: RuleSetDraft = {
  id: DEFAULT_RULE_SET_ID,
  version: 1,
  title:
    'China baseline: GB 2763-2021 pesticide MRLs, banned pesticides, GB/T 24616 cold chain, animal quarantine and inspection certificates, licences, shelf life',
  // GB 2763-2021 came into force on 3 September 2021.
  effectiveFrom: '2021-09-03',
  rules: [
    {
      id: 'mrl-carbofuran-vegetables',
      kind: 'mrl',
      substance: 'carbofuran',
      productCategory: 'vegetables',
      limit: 0.02,
      unit: 'mg/kg',
      reference: 'GB 2763-2021 克百威, vegetables (verify)',
    },
    {
      id: 'mrl-omethoate-vegetables',
      kind: 'mrl',
      substance: 'omethoate',
      productCategory: 'vegetables',
      limit: 0.02,
      unit: 'mg/kg',
      reference: 'GB 2763-2021 氧乐果, vegetables (verify)',
    },
    {
      id: 'mrl-phorate-vegetables',
      kind: 'mrl',
      substance: 'phorate',
      productCategory: 'vegetables',
      limit: 0.01,
      unit: 'mg/kg',
      reference: 'GB 2763-2021 甲拌磷, vegetables (verify)',
    },
    {
      id: 'mrl-procymidone-chinese-chives',
      kind: 'mrl',
      substance: 'procymidone',
      productCategory: 'vegetables/chinese_chives',
      limit: 0.2,
      unit: 'mg/kg',
      reference: 'GB 2763-2021 腐霉利, 韭菜 (verify)',
    },
    {
      id: 'mrl-cyromazine-cowpea',
      kind: 'mrl',
      substance: 'cyromazine',
      productCategory: 'vegetables/cowpea',
      limit: 0.5,
      unit: 'mg/kg',
      reference: 'GB 2763-2021 灭蝇胺, 豇豆 (verify)',
    },
    {
      id: 'mrl-diethofencarb-tomato',
      kind: 'mrl',
      substance: 'diethofencarb',
      productCategory: 'vegetables/tomato',
      limit: 1,
      unit: 'mg/kg',
      reference: 'GB 2763 乙霉威, tomato (older edition; verify against 2021)',
    },
    {
      id: 'mrl-diethofencarb-cucumber',
      kind: 'mrl',
      substance: 'diethofencarb',
      productCategory: 'vegetables/cucumber',
      limit: 5,
      unit: 'mg/kg',
      reference: 'GB 2763 乙霉威, cucumber (older edition; verify against 2021)',
    },
    {
      id: 'mrl-acephate-radish',
      kind: 'mrl',
      substance: 'acephate',
      productCategory: 'vegetables/radish',
      limit: 1,
      unit: 'mg/kg',
      reference: 'GB 2763 乙酰甲胺磷, radish (older edition; verify against 2021)',
    },
    // Highly toxic organophosphates whose production and use China banned from 2007 (MOA announcement 322;
    // verify, the reference cites the ban but lists no names): any detection fails. Methamidophos also has a GB 2763 limit, but a banned pesticide found on a
    // product means it was used, which is the offence.
    ...['methamidophos', 'parathion', 'parathion-methyl', 'monocrotophos', 'phosphamidon'].map(
      (substance) => ({
        id: `banned-${substance}`,
        kind: 'banned' as const,
        substance,
        reference: 'Pesticide Administration Regulations art. 27; MOA announcement 322 (verify)',
      }),
    ),
    {
      id: 'cold-chilled',
      kind: 'temperature',
      category: 'chilled',
      min: 0,
      max: 4,
      unit: '°C',
      toleratedExcursionMinutes: 30,
      maxInstantDeviation: 4,
      reference: 'chilled meat 0-4 °C; GB/T 24616-2019 chilled below 8 °C; GB 31605-2020',
    },
    {
      id: 'cold-frozen',
      kind: 'temperature',
      category: 'frozen',
      max: -18,
      unit: '°C',
      toleratedExcursionMinutes: 30,
      maxInstantDeviation: 6,
      reference: 'GB/T 24616-2019 frozen at or below -18 °C; GB 31605-2020',
    },
    {
      id: 'quarantine-livestock-shipping',
      kind: 'required_document',
      docType: 'animal_quarantine_certificate',
      beforeBizStep: 'shipping',
      productCategories: ['livestock', 'poultry'],
      validityDays: 5,
      issuerRoles: ['inspector', 'regulator'],
      reference: '动物检疫合格证明 Animals A: at most 5 days',
    },
    {
      id: 'quarantine-meat-shipping',
      kind: 'required_document',
      docType: 'animal_quarantine_certificate',
      beforeBizStep: 'shipping',
      productCategories: ['meat'],
      validityDays: 7,
      issuerRoles: ['inspector', 'regulator'],
      reference: '动物检疫合格证明 Products A: at most 7 days',
    },
    {
      id: 'inspection-before-retail',
      kind: 'required_document',
      docType: 'inspection_pass',
      beforeBizStep: 'retail_selling',
      validityDays: 30,
      issuerRoles: ['inspector', 'regulator'],
      reference: 'inspection before retail sale; 30-day validity is an alliance choice',
    },
    {
      id: 'qualified-actor',
      kind: 'qualification',
      requireFoodLicenceFor: ['producer', 'processor'],
      reference: '食品生产许可管理办法: SC licence for food producers',
    },
    {
      id: 'shelf-life-retail',
      kind: 'shelf_life',
      bizSteps: ['retail_selling', 'dispensing'],
      reference: 'Food Safety Law art. 34: no food past its shelf life may be sold (verify clause)',
    },
  ],
};
