/** Provenance carried by every record the chaincode stores, and the page shape of every query. */

/**
 * Who did something: the member organisation (MSP ID), the identity's certificate common name and, when the
 * organisation's gateway named one, the organisation's user who acted (the `operator` argument of every write).
 */
export interface Actor {
  mspId: string;
  id: string;
  /** The organisation's user who acted, as its gateway asserted it; absent when none was named. */
  operator?: string;
}

/** An operator name: 1-64 characters of letters, digits, '.', '_', '@' and '-' (the argument may also be ''). */
export const OPERATOR_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

/** Provenance fields on every stored record: which transactions created and last changed it, when and by whom. */
export interface RecordMeta {
  createdTxId: string;
  createdAt: string;
  createdBy: Actor;
  lastTxId: string;
  updatedAt: string;
  actor: Actor;
}

/** One page of a paginated query; pass `bookmark` back to get the next page ('' when there is none). */
export interface Page<T> {
  records: T[];
  bookmark: string;
  fetchedCount: number;
}

/** Largest page a query returns, whatever the caller asks for. */
export const MAX_PAGE_SIZE = 100;

/** Page size used when the caller gives none. */
export const DEFAULT_PAGE_SIZE = 20;
