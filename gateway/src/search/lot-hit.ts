/**
 * A lot as lot search answers it: types only, shared by the gateway (search-lots.ts) and the portal
 * (portal/src/api/types.ts re-exports it).
 */
/** One lot found, with what a call-centre agent needs to see at a glance. */
export interface LotHit {
  lotId: string;
  gtin: string;
  lot: string;
  product: string;
  category: string;
  status: string;
  quantity: number;
  remaining: number;
  unit: string;
  producer: { mspId: string; name: string | null };
  custodian: { mspId: string; name: string | null };
  originRegion: string | null;
  createdAt: string;
  elementString: string | null;
  recallId: string | null;
  lastChange: { txId: string; blockNumber: number };
}
