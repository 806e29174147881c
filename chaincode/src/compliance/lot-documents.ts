/**
 * Certificates and reports held for a lot (quarantine certificates, inspection passes), which required-document
 * rules look for. A document is stored once under [lotId, docType, id] and never changed.
 */
import type { Context } from 'fabric-contract-api';
import type { ComplianceDocument, LotDocumentRecord } from '../shared/compliance';
import { KEYS } from '../lib/keys';
import { scanPartialKey } from '../lib/pagination';
import { fromBytes } from '../lib/serializer';
import { stateExists, writeState } from '../lib/state';
import { newMeta } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';

/** Most documents of one type read for a lot when a rule needs them (a lot rarely holds more than a few). */
export const MAX_DOCUMENTS_PER_TYPE = 50;

/** The document type an inspection that passed is stored as (what 'inspection before retail' rules require). */
export const INSPECTION_PASS_DOC_TYPE = 'inspection_pass';

/** World-state key of a lot's document. */
export function lotDocumentKey(ctx: Context, lotId: string, docType: string, id: string): string {
  return ctx.stub.createCompositeKey(KEYS.lotDocument, [lotId, docType, id]);
}

/** True if the lot already holds a document of that type and ID. */
export async function lotDocumentExists(
  ctx: Context,
  lotId: string,
  docType: string,
  id: string,
): Promise<boolean> {
  return stateExists(ctx, lotDocumentKey(ctx, lotId, docType, id));
}

/** Stores a document for a lot. */
export async function saveLotDocument(
  ctx: Context,
  lotId: string,
  document: ComplianceDocument,
  tx: TxInfo,
): Promise<LotDocumentRecord> {
  const record: LotDocumentRecord = { ...newMeta(tx), docType: 'lotDocument', lotId, document };
  await writeState(ctx, lotDocumentKey(ctx, lotId, document.docType, document.id), record);
  return record;
}

/** The lot's stored documents of the given types (up to MAX_DOCUMENTS_PER_TYPE each), in type then ID order. */
export async function lotDocuments(
  ctx: Context,
  lotId: string,
  docTypes: readonly string[],
): Promise<ComplianceDocument[]> {
  const documents: ComplianceDocument[] = [];
  for (const docType of [...new Set(docTypes)].sort()) {
    const { entries } = await scanPartialKey(ctx, KEYS.lotDocument, [lotId, docType], MAX_DOCUMENTS_PER_TYPE);
    documents.push(...entries.map((entry) => fromBytes<LotDocumentRecord>(entry.value).document));
  }
  return documents;
}
