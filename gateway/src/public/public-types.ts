/**
 * The consumer view of a lot as the public lookup answers it: types only, shared by the gateway that builds it
 * (public-lot.ts) and the portal that shows it (portal/src/api/types.ts re-exports them).
 */
/** A member as the public sees it. */
export interface PublicParty {
  mspId: string;
  name: string;
}

/** A place as the public sees it. */
export interface PublicPlace {
  region: string | null;
  gln: string | null;
  latitude?: number;
  longitude?: number;
  /** True when the step named no place and the region shown is the origin farm's. */
  originRegion?: boolean;
}

/** Where a record is on the ledger. */
export interface Verification {
  txId: string;
  blockNumber: number;
}

/** The warning shown before anything else. */
export type PublicWarning =
  | {
      type: 'recall';
      message: string;
      severity: string;
      reason: string;
      recallId: string;
      /** The lot the recall started from (this one, or one upstream). */
      recalledLotId: string;
      /**
       * True once the ledger has marked this lot recalled (authoritative); false while the warning comes from the
       * recall's reach, which the store derives from the ledger's genealogy before every lot is marked.
       */
      markedOnLedger: boolean;
      since: string;
      verification: Verification;
    }
  | { type: 'hold'; message: string; reason: string; since: string | null };

/** One step of the journey. */
export interface JourneyStep {
  date: string;
  bizStep: string;
  stage: string;
  disposition: string | null;
  place: PublicPlace;
  responsible: PublicParty;
  lot: { lotId: string; product: string };
  verification: Verification;
}

/** An inspection or certificate. */
export interface PublicInspection {
  date: string;
  kind: 'inspection' | 'document';
  /** bizStep of an inspection event, document type of a certificate. */
  type: string;
  result: string | null;
  by: PublicParty | null;
  lotId: string;
  validUntil?: string | null;
  verification: Verification;
  /** Residue results of an inspection, each against the limit of the rule it was checked with. */
  results?: InspectionResult[];
}

/** One analyte of an inspection: the value, and the limit and outcome when a rule checked it. */
export interface InspectionResult {
  substance: string;
  /** The value in `unit` (mg/kg when a rule converted it), or 'ND' (not detected). */
  value: number | string;
  unit: string | null;
  limit: number | string | null;
  /** 'pass' (within the limit) or 'fail' (over it); null when no rule applies to the substance. */
  outcome: string | null;
  /** The rule and the version of its rule set that gave the limit. */
  rule: { ruleSetId: string; version: number; ruleId: string; kind: string } | null;
}

/** The temperatures recorded by the devices attached to the lot (or the lots it was made from). */
export interface PublicColdChain {
  /** The newest readings, oldest first (at most PUBLIC_READINGS_MAX). */
  readings: Array<{ time: string; celsius: number }>;
  /** Every reading, not only those listed. */
  summary: { count: number; minCelsius: number; maxCelsius: number; firstTime: string; lastTime: string };
  /** The allowed range of the temperature rule the readings were checked against, if one applied. */
  range: {
    min?: number;
    max?: number;
    toleratedExcursionMinutes?: number;
    rule: { ruleSetId: string; version: number; ruleId: string };
  } | null;
  /** Readings listed outside the range, and the runs of them (excursions). */
  outOfRange: number;
  excursions: number;
  /** 'fail' if any check of the readings failed, 'pass' if all passed, null if none ran. */
  outcome: 'pass' | 'fail' | null;
}

/** The consumer view of a lot. */
export interface PublicLot {
  warning: PublicWarning | null;
  traceCode: { gtin: string; lot: string; serial: string | null; elementString: string; digitalLink: string };
  product: {
    name: string;
    category: string;
    productionDate: string | null;
    harvestDate: string | null;
    expiryDate: string | null;
  };
  status: string;
  producer: PublicParty;
  origin: Array<{
    lotId: string;
    product: string;
    producer: PublicParty;
    place: PublicPlace;
    harvestDate: string | null;
  }>;
  journey: JourneyStep[];
  inspections: PublicInspection[];
  /** Cold-chain readings; null when no device recorded any. */
  coldChain: PublicColdChain | null;
  compliance: {
    status: 'compliant' | 'violations_open' | 'on_hold' | 'recalled';
    openViolations: Array<{
      kind: string;
      ruleId: string;
      lotId: string;
      detectedAt: string;
      status: string;
    }>;
  };
  /** The alliance's admitted members (not applicants) by name, to name the organisations that endorsed. */
  alliance: PublicParty[];
  verification: {
    created: Verification;
    lastChange: Verification;
    /** Where anyone can ask the ledger about a transaction. */
    transactionUrl: string;
  };
}
