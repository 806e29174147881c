/**
 * The query store on the live network, after the traceability story: every gateway's store follows the ledger
 * exactly (the consistency check finds no difference), a consumer looks a lot up by its GS1 Digital Link and sees
 * its journey and, after a recall, the warning first; call-centre search finds the lot by a partial code and by
 * producer; and the exported spreadsheet has exactly the trace's steps.
 */
import ExcelJS from 'exceljs';
import { gs1CheckDigit } from '../../../chaincode/src/shared/gs1';
import { api, topology } from './support';
import { consistency, eventually, waitForStore } from './query-store-support';

const RUN = Date.now().toString(36).toUpperCase();
const gtin = (prefix12: string) => `0${prefix12}${gs1CheckDigit(prefix12)}`;
const SPINACH = gtin('690123456801');
const SALAD = gtin('690123456802');
const farmLot = `${SPINACH}:QS-FARM-${RUN}`;
const packagedLot = `${SALAD}:QS-PKG-${RUN}`;
const enc = encodeURIComponent;

/** Rows of an RFC 4180 CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function handOver(from: string, to: string, toMsp: string, lotId: string): Promise<void> {
  const offer = await api[from]!.post('/api/v1/transfers', { lotId, to: toMsp });
  expect(offer.status).toBe(201);
  const accepted = await api[to]!.post(`/api/v1/transfers/${offer.body.data.transfer.transferId}/accept`);
  expect(accepted.status).toBe(200);
}

describe('every gateway’s store after the traceability story', () => {
  it('has caught up with the ledger, as /healthz says', async () => {
    for (const org of topology.peerOrgs) {
      const store = await waitForStore(org.key);
      expect(store.checkpointBlock).toBe((store.ledgerHeight ?? 0) - 1);
    }
  });

  it('matches the ledger key for key, transaction for transaction (consistency check: no difference)', async () => {
    for (const orgKey of ['coop', 'mofcom']) {
      const report = await consistency(orgKey);
      expect(report.differences).toEqual([]);
      expect(report.behindBlocks).toBe(0);
      expect(report.keys).toBeGreaterThan(20);
      expect(report.transactions).toBeGreaterThan(10);
    }
  });
});

describe('a consumer scans the QR code on a package', () => {
  it('a farm lot is harvested, inspected, processed into a packaged lot and delivered to the retailer', async () => {
    const created = await api.coop!.post('/api/v1/lots', {
      gtin: SPINACH,
      lot: `QS-FARM-${RUN}`,
      product: 'Spinach',
      category: 'vegetables',
      quantity: 800,
      unit: 'kg',
      origin: { region: '330183', latitude: 30.05, longitude: 119.95 },
      harvestDate: '2026-11-21',
      expiryDate: '2026-12-21',
      stage: 'harvest',
    });
    expect(created.status).toBe(201);
    const inspected = await api.inspection!.post(`/api/v1/lots/${enc(farmLot)}/events`, {
      bizStep: 'inspecting',
      disposition: 'conformant',
    });
    expect(inspected.status).toBe(201);
    await handOver('coop', 'processor', 'ProcessorMSP', farmLot);
    const processed = await api.processor!.post('/api/v1/transformations/process', {
      inputs: [{ lotId: farmLot, quantity: 800, unit: 'kg' }],
      outputs: [
        {
          lot: `QS-PKG-${RUN}`,
          gtin: SALAD,
          product: 'Washed spinach 250 g',
          category: 'vegetables',
          quantity: 700,
          unit: 'kg',
          expiryDate: '2026-12-01',
        },
      ],
      declaredYield: 0.9,
      processType: 'washing',
    });
    expect(processed.status).toBe(201);
    await handOver('processor', 'retailer', 'RetailerMSP', packagedLot);
  });

  it('shows product, origin and the journey with each step’s place, date and responsible member', async () => {
    const path = `/01/${SALAD}/10/QS-PKG-${RUN}?linkType=gs1:pip`;
    const res = await eventually(async () => {
      const r = await api.retailer!.as(null).get(path);
      const received = (step: { bizStep: string; responsible: { mspId: string } }) =>
        step.bizStep === 'accepting' && step.responsible.mspId === 'RetailerMSP';
      return r.status === 200 && r.body.data.journey.some(received) ? r : undefined;
    });
    const view = res.body.data;
    expect(view.warning).toBeNull();
    expect(view.product.name).toBe('Washed spinach 250 g');
    expect(view.origin).toEqual([
      expect.objectContaining({ lotId: farmLot, producer: { mspId: 'CoopMSP', name: expect.any(String) } }),
    ]);
    const steps = view.journey.map((s: { bizStep: string }) => s.bizStep);
    expect(steps).toEqual(expect.arrayContaining(['inspecting', 'consigning', 'accepting']));
    for (const step of view.journey) {
      expect(step.date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(step.responsible.name).not.toBe('');
      expect(step.verification.txId).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(view.inspections[0]).toMatchObject({ kind: 'inspection', result: 'conformant' });
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(res.headers.get('etag')).toMatch(/^"lot-\d+"$/);
    const tx = await api.retailer!.get(`/api/v1/transactions/${view.verification.lastChange.txId}`);
    expect(tx.body.data.blockNumber).toBe(view.verification.lastChange.blockNumber);
  });

  it('after a recall of the farm lot, shows the recall warning first', async () => {
    const recall = await api.mofcom!.post('/api/v1/recalls', {
      lotId: farmLot,
      reason: 'chlorpyrifos above the GB 2763 limit in a retained sample',
      severity: 'I',
    });
    expect(recall.status).toBe(201);
    const res = await eventually(async () => {
      const r = await api.coop!.as(null).get(`/01/${SALAD}/10/QS-PKG-${RUN}`);
      return r.body?.data?.warning ? r : undefined;
    });
    expect(Object.keys(res.body.data)[0]).toBe('warning');
    expect(res.body.data.warning).toMatchObject({
      type: 'recall',
      severity: 'I',
      recalledLotId: farmLot,
      recallId: recall.body.data.recallId,
    });
    expect(res.body.data.compliance.status).toBe('recalled');
  });

  it('refuses a malformed Digital Link with the reason and an unknown lot with 404', async () => {
    const wrongDigit = SALAD.slice(0, 13) + String((Number(SALAD[13]) + 1) % 10);
    const bad = await api.coop!.as(null).get(`/01/${wrongDigit}/10/QS-PKG-${RUN}`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_CHECK_DIGIT');
    expect(bad.body.detail).toMatch(/check digit should be/);
    const unknown = await api.coop!.as(null).get(`/01/${SALAD}/10/NO-SUCH-${RUN}`);
    expect(unknown.status).toBe(404);
  });
});

describe('call-centre search', () => {
  it('finds the lot by a partial trace code and by producer', async () => {
    await waitForStore('coop');
    const byCode = await api.coop!.get(`/api/v1/search/lots?q=${enc(`pkg-${RUN.toLowerCase()}`)}`);
    expect(byCode.status).toBe(200);
    expect(byCode.body.data.map((h: { lotId: string }) => h.lotId)).toEqual([packagedLot]);
    const byProducer = await api.coop!.get(`/api/v1/search/lots?producer=jade%20river&q=${enc(RUN)}`);
    expect(byProducer.body.data.map((h: { lotId: string }) => h.lotId)).toEqual([packagedLot]);
    expect(byProducer.body.data[0]).toMatchObject({
      status: 'recalled',
      custodian: { mspId: 'RetailerMSP' },
    });
    expect((await api.coop!.as(null).get('/api/v1/search/lots?q=x')).status).toBe(401);
  });
});

describe('trace export', () => {
  it('has exactly one row per event of every lot of the ledger’s own backward trace, in CSV and XLSX', async () => {
    await waitForStore('processor');
    const trace = await api.processor!.get(
      `/api/v1/lots/${enc(packagedLot)}/trace?direction=backward&pageSize=200`,
    );
    expect(trace.status).toBe(200);
    expect(Object.keys(trace.body.data.events).length).toBeGreaterThan(0);
    const expected = trace.body.data.steps
      .flatMap((step: { lotId: string; eventIds: string[] }) =>
        step.eventIds.map((eventId) => `${step.lotId} ${eventId}`),
      )
      .sort();
    const csv = await api.processor!.get(`/api/v1/lots/${enc(packagedLot)}/trace.csv?direction=backward`);
    expect(csv.status).toBe(200);
    const [header = [], ...records] = parseCsv(String(csv.body).replace(/^\uFEFF/, ''));
    const lotColumn = header.indexOf('Lot ID');
    const txColumn = header.indexOf('Reference document number');
    const fromCsv = records.map((cells) => `${cells[lotColumn]} ${cells[txColumn]}`).sort();
    expect(fromCsv).toEqual(expected);

    const xlsx = await fetch(`${api.processor!.baseUrl}/api/v1/lots/${enc(packagedLot)}/trace.xlsx`, {
      headers: { authorization: `Bearer ${(await import('./support')).tokens().processor}` },
    });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await xlsx.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet('Trace')!;
    const fromXlsx: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) fromXlsx.push(`${row.getCell(lotColumn + 1).text} ${row.getCell(txColumn + 1).text}`);
    });
    expect(fromXlsx.sort()).toEqual(expected);
  });
});

describe('after the new transactions', () => {
  it('the stores still match the ledger exactly', async () => {
    for (const orgKey of ['retailer', 'processor']) {
      expect((await consistency(orgKey)).differences).toEqual([]);
    }
  });
});
