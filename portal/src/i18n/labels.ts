/** Names of the ledger's vocabularies (life-cycle stages, CBV steps, statuses, roles...) in both languages. */
import type { Lang } from './i18n';

type Pair = readonly [zh: string, en: string];

const STAGES: Record<string, Pair> = {
  planting: ['种植', 'Planting'],
  breeding: ['养殖', 'Breeding'],
  growing: ['生长', 'Growing'],
  harvest: ['采收', 'Harvest'],
  slaughter: ['屠宰', 'Slaughter'],
  inspection: ['检验检测', 'Inspection'],
  processing: ['加工', 'Processing'],
  packaging: ['包装', 'Packaging'],
  storage: ['仓储', 'Storage'],
  transport: ['运输', 'Transport'],
  receiving: ['收货', 'Receiving'],
  sale: ['销售', 'Sale'],
  consumer_sale: ['零售', 'Retail sale'],
  consumption: ['消费', 'Consumption'],
  recall: ['召回', 'Recall'],
  hold: ['暂扣', 'Hold'],
  custody: ['交接', 'Handover'],
  other: ['其他', 'Other'],
};

const BIZ_STEPS: Record<string, Pair> = {
  commissioning: ['登记入链', 'Commissioning'],
  inspecting: ['检验', 'Inspecting'],
  sampling: ['抽样', 'Sampling'],
  packing: ['装箱', 'Packing'],
  repackaging: ['重新包装', 'Repackaging'],
  storing: ['储存', 'Storing'],
  stocking: ['上架', 'Stocking'],
  shipping: ['发运', 'Shipping'],
  departing: ['出发', 'Departing'],
  transporting: ['运输', 'Transporting'],
  loading: ['装载', 'Loading'],
  unloading: ['卸载', 'Unloading'],
  arriving: ['到达', 'Arriving'],
  receiving: ['收货', 'Receiving'],
  accepting: ['接收', 'Accepting'],
  consigning: ['交付', 'Consigning'],
  retail_selling: ['零售', 'Retail selling'],
  dispensing: ['分发', 'Dispensing'],
  holding: ['暂扣', 'Holding'],
  sensor_reporting: ['传感器上报', 'Sensor reporting'],
  killing: ['屠宰', 'Slaughter'],
  destroying: ['销毁', 'Destroying'],
  transforming: ['加工转换', 'Transforming'],
  other: ['其他', 'Other'],
};

const LOT_STATUSES: Record<string, Pair> = {
  active: ['正常', 'Active'],
  on_hold: ['暂扣中', 'On hold'],
  recalled: ['已召回', 'Recalled'],
  consumed: ['已用完', 'Consumed'],
  open: ['未处理', 'Open'],
  released: ['已解除', 'Released'],
  escalated: ['已升级召回', 'Escalated'],
  in_progress: ['进行中', 'In progress'],
  complete: ['已完成', 'Complete'],
};

const MEMBER_STATUSES: Record<string, Pair> = {
  pending: ['待审核', 'Pending'],
  approved: ['已批准', 'Approved'],
  suspended: ['已暂停', 'Suspended'],
  revoked: ['已撤销', 'Revoked'],
};

const MEMBER_ROLES: Record<string, Pair> = {
  regulator: ['监管部门', 'Regulator'],
  inspector: ['检验机构', 'Inspection body'],
  producer: ['生产者', 'Producer'],
  processor: ['加工企业', 'Processor'],
  logistics: ['物流企业', 'Logistics'],
  retailer: ['零售商', 'Retailer'],
};

const USER_ROLES: Record<string, Pair> = {
  operator: ['业务操作员', 'Operator'],
  inspector: ['检验员', 'Inspector'],
  regulator: ['监管人员', 'Regulator'],
  call_centre: ['客服人员', 'Call centre'],
};

const RULE_KINDS: Record<string, Pair> = {
  mrl: ['农药最大残留限量', 'Maximum residue limit'],
  banned: ['禁用物质', 'Banned substance'],
  temperature: ['冷链温度', 'Cold-chain temperature'],
  required_document: ['必备证明', 'Required document'],
  qualification: ['主体资质', 'Qualification'],
  shelf_life: ['保质期', 'Shelf life'],
};

const DISPOSITIONS: Record<string, Pair> = {
  conformant: ['合格', 'Conformant'],
  non_conformant: ['不合格', 'Non-conformant'],
  in_transit: ['在途', 'In transit'],
  active: ['在用', 'Active'],
  retail_sold: ['已售出', 'Sold'],
  recalled: ['已召回', 'Recalled'],
  sellable_accessible: ['可销售', 'Sellable'],
  expired: ['已过期', 'Expired'],
  pass: ['合格', 'Pass'],
  in_progress: ['进行中', 'In progress'],
  damaged: ['已损坏', 'Damaged'],
  destroyed: ['已销毁', 'Destroyed'],
  fail: ['不合格', 'Fail'],
};

const CATEGORIES: Record<string, Pair> = {
  vegetables: ['蔬菜', 'Vegetables'],
  fruit: ['水果', 'Fruit'],
  fruits: ['水果', 'Fruit'],
  meat: ['肉类', 'Meat'],
  pork: ['猪肉', 'Pork'],
  grain: ['粮食', 'Grain'],
  cereals: ['谷物', 'Cereals'],
  tea: ['茶叶', 'Tea'],
  eggs: ['蛋类', 'Eggs'],
  dairy: ['乳制品', 'Dairy'],
  aquatic: ['水产品', 'Aquatic products'],
  cowpea: ['豇豆', 'Cowpea'],
  spinach: ['菠菜', 'Spinach'],
  chilled: ['冷藏', 'Chilled'],
  frozen: ['冷冻', 'Frozen'],
};

const DOC_TYPES: Record<string, Pair> = {
  animal_quarantine: ['动物检疫合格证明', 'Animal quarantine certificate'],
  inspection_report: ['检验报告', 'Inspection report'],
  inspection_pass: ['检验合格证明', 'Inspection pass'],
  quarantine_certificate: ['检疫合格证明', 'Quarantine certificate'],
  origin_certificate: ['产地证明', 'Certificate of origin'],
  organic_certificate: ['有机认证', 'Organic certificate'],
  green_food: ['绿色食品认证', 'Green food certificate'],
};

const VOCABULARIES = {
  stage: STAGES,
  bizStep: BIZ_STEPS,
  lotStatus: LOT_STATUSES,
  memberStatus: MEMBER_STATUSES,
  memberRole: MEMBER_ROLES,
  userRole: USER_ROLES,
  ruleKind: RULE_KINDS,
  disposition: DISPOSITIONS,
  docType: DOC_TYPES,
} as const;

/** A vocabulary name. */
export type Vocabulary = keyof typeof VOCABULARIES;

/** The name of a value of a vocabulary; unknown values are shown as they are, underscores as spaces. */
export function label(lang: Lang, vocabulary: Vocabulary, value: string | null | undefined): string {
  if (!value) return '—';
  const pair = VOCABULARIES[vocabulary][value];
  if (pair) return lang === 'zh' ? pair[0] : pair[1];
  const tail = value.replace(/^.*[/:]/, '');
  return tail.replace(/_/g, ' ');
}

/** A product category path ('vegetables/cowpea') in words. */
export function categoryLabel(lang: Lang, category: string | null | undefined): string {
  if (!category) return '—';
  return category
    .split('/')
    .map((part) => {
      const pair = CATEGORIES[part];
      return pair ? (lang === 'zh' ? pair[0] : pair[1]) : part.replace(/_/g, ' ');
    })
    .join(lang === 'zh' ? ' · ' : ' / ');
}
