/** GS1 identifiers and trace codes (src/shared/gs1.ts), shared by chaincode, gateway and portal. */
import {
  barcodeData,
  digitalLinkPath,
  digitalLinkUri,
  elementString,
  fromGs1Date,
  gs1CheckDigit,
  gtinProblem,
  hasValidCheckDigit,
  isAi82Value,
  isGln,
  isIsoDate,
  lotEpcClass,
  lotIdOf,
  normalizeGtin,
  parseDigitalLink,
  parseElementString,
  splitLotId,
  toGs1Date,
  traceCode,
} from '../src/shared/gs1';
import { ChaincodeError } from '../src/shared/errors';

/** The code of the ChaincodeError thrown by fn. */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ChaincodeError ? error.code : 'NOT_A_CHAINCODE_ERROR';
  }
  return undefined;
}

describe('GS1 check digits', () => {
  it.each([
    ['890400021003', 7], // GS1 India's worked example: sum 63, check 7
    ['730001100001', 7], // GS1 Sweden's worked example
    ['629104150021', 3], // GTIN-13 6291041500213
    ['9638507', 4], // GTIN-8 96385074
    ['03600029145', 2], // GTIN-12 036000291452
    ['1001234567890', 2], // GTIN-14 10012345678902
  ])('computes the mod-10 check digit of %s', (data, digit) => {
    expect(gs1CheckDigit(data)).toBe(digit);
  });

  it('validates complete keys', () => {
    expect(hasValidCheckDigit('6291041500213')).toBe(true);
    expect(hasValidCheckDigit('6291041500214')).toBe(false);
    expect(hasValidCheckDigit('')).toBe(false);
    expect(hasValidCheckDigit('12a4')).toBe(false);
  });
});

describe('GTIN', () => {
  it.each([
    ['96385074', '00000096385074'],
    ['036000291452', '00036000291452'],
    ['6291041500213', '06291041500213'],
    ['10012345678902', '10012345678902'],
  ])('normalises GTIN %s to 14 digits', (gtin, gtin14) => {
    expect(gtinProblem(gtin)).toBeUndefined();
    expect(normalizeGtin(gtin)).toBe(gtin14);
  });

  it.each([
    '',
    '123',
    '62910415002',
    '629104150021345',
    '006291041500213',
    '629104150021X',
    ' 6291041500213',
  ])('refuses the malformed GTIN %p', (gtin) => {
    expect(gtinProblem(gtin)?.code).toBe('MALFORMED_GTIN');
    expect(codeOf(() => normalizeGtin(gtin))).toBe('MALFORMED_GTIN');
  });

  it('refuses a wrong check digit and says which digit it should be', () => {
    expect(gtinProblem('6291041500214')).toEqual({
      code: 'BAD_CHECK_DIGIT',
      message: 'GTIN check digit should be 3',
    });
    expect(codeOf(() => normalizeGtin('96385075'))).toBe('BAD_CHECK_DIGIT');
  });
});

describe('GLN, AI 10/21 values and dates', () => {
  it('validates GLNs', () => {
    expect(isGln('6901234000009')).toBe(true);
    expect(isGln('6901234000004')).toBe(false);
    expect(isGln('690123400000')).toBe(false);
  });

  it('accepts batch numbers of 1-20 characters of set 82 and refuses the rest', () => {
    for (const ok of ['A', 'LOT-2026/03', '!"%&\'()*+,-./:;<=>?_', 'abcdefghijklmnopqrst'])
      expect(isAi82Value(ok)).toBe(true);
    for (const bad of [
      '',
      'abcdefghijklmnopqrstu',
      'LOT 1',
      'LOT#1',
      'LÖT',
      'a\u0000b',
      '批次1',
      'a~b',
      'a@b',
    ]) {
      expect(isAi82Value(bad)).toBe(false);
    }
  });

  it('converts ISO dates to YYMMDD and back with the GS1 century rule', () => {
    expect(toGs1Date('2026-12-31')).toBe('261231');
    expect(codeOf(() => toGs1Date('2026-02-30'))).toBe('MALFORMED_DATE');
    expect(fromGs1Date('261231', 2026)).toBe('2026-12-31');
    expect(fromGs1Date('991231', 2026)).toBe('1999-12-31'); // more than 49 years back would be next century: no
    expect(fromGs1Date('760101', 2026)).toBe('2076-01-01'); // 50 years ahead stays this century
    expect(fromGs1Date('770101', 2026)).toBe('1977-01-01'); // more than 50 ahead is last century
    expect(fromGs1Date('050101', 2060)).toBe('2105-01-01'); // more than 49 behind is next century
    expect(fromGs1Date('260200', 2026)).toBe('2026-02-28'); // DD 00: last day of the month
    expect(fromGs1Date('240200', 2026)).toBe('2024-02-29');
    expect(codeOf(() => fromGs1Date('261301', 2026))).toBe('MALFORMED_DATE');
    expect(codeOf(() => fromGs1Date('260230', 2026))).toBe('MALFORMED_DATE');
    expect(codeOf(() => fromGs1Date('2612', 2026))).toBe('MALFORMED_DATE');
  });

  it('knows real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });
});

describe('lot IDs', () => {
  it('are the GTIN-14, a colon and the batch, and split back unambiguously', () => {
    expect(lotIdOf('6291041500213', 'A:1')).toBe('06291041500213:A:1');
    expect(splitLotId('06291041500213:A:1')).toEqual({ gtin: '06291041500213', lot: 'A:1' });
    expect(splitLotId('6291041500213:A1')).toBeUndefined();
    expect(splitLotId('06291041500214:A1')).toBeUndefined();
    expect(splitLotId('06291041500213:')).toBeUndefined();
  });
});

describe('trace codes', () => {
  const parts = {
    gtin: '6291041500213',
    lot: 'RICE/26-03',
    serial: '0042',
    productionDate: '2026-03-01',
    expiryDate: '2027-02-28',
  };

  it('renders the element string with fixed-length AIs first', () => {
    expect(elementString(parts)).toBe('(01)06291041500213(11)260301(17)270228(10)RICE/26-03(21)0042');
    expect(elementString({ gtin: '96385074', lot: 'A1' })).toBe('(01)00000096385074(10)A1');
  });

  it('renders GS1-128 data with a group separator after a variable-length field that is not last', () => {
    expect(barcodeData(parts)).toBe('010629104150021311260301172702281' + '0RICE/26-03\u001d210042');
    expect(barcodeData({ gtin: '96385074', lot: 'A1' })).toBe('010000009638507410A1');
  });

  it('renders the Digital Link path and URI, percent-encoding reserved characters', () => {
    expect(digitalLinkPath(parts)).toBe('/01/06291041500213/10/RICE%2F26-03/21/0042');
    expect(digitalLinkPath({ gtin: '96385074', lot: "A!'()*" })).toBe(
      '/01/00000096385074/10/A%21%27%28%29%2A',
    );
    expect(digitalLinkUri('https://trace.example.cn/', parts)).toBe(
      'https://trace.example.cn/01/06291041500213/10/RICE%2F26-03/21/0042?17=270228',
    );
    expect(lotEpcClass('6291041500213', 'B1')).toBe('https://id.gs1.org/01/06291041500213/10/B1');
  });

  it('bundles every form', () => {
    expect(traceCode(parts, 'https://r.example')).toEqual({
      elementString: elementString(parts),
      barcodeData: barcodeData(parts),
      digitalLinkPath: digitalLinkPath(parts),
      digitalLinkUri: 'https://r.example/01/06291041500213/10/RICE%2F26-03/21/0042?17=270228',
    });
  });

  it('refuses bad lots and serials with their codes', () => {
    expect(codeOf(() => elementString({ gtin: '96385074', lot: 'has space' }))).toBe('MALFORMED_LOT_NUMBER');
    expect(codeOf(() => digitalLinkPath({ gtin: '96385074', lot: 'A', serial: 'x'.repeat(21) }))).toBe(
      'MALFORMED_SERIAL',
    );
    expect(codeOf(() => elementString({ gtin: '96385075', lot: 'A' }))).toBe('BAD_CHECK_DIGIT');
  });

  it('parses Digital Links back, with or without a domain or prefix', () => {
    expect(
      parseDigitalLink('https://trace.example.cn/01/06291041500213/10/RICE%2F26-03/21/0042?17=270228'),
    ).toEqual({
      gtin: '06291041500213',
      lot: 'RICE/26-03',
      serial: '0042',
    });
    expect(parseDigitalLink('/resolver/01/96385074/10/A1')).toEqual({ gtin: '00000096385074', lot: 'A1' });
    expect(parseDigitalLink('/01/96385075/10/A1')).toBeUndefined();
    expect(parseDigitalLink('/01/96385074')).toBeUndefined();
    expect(parseDigitalLink('/01/96385074/10/A1/22/X')).toBeUndefined();
    expect(parseDigitalLink('/01/96385074/10/%E0%A4%A')).toBeUndefined();
  });

  it('round-trips lots of set-82 characters through the Digital Link', () => {
    for (const lot of ['A', '!"%&\'()*+,-./', ':;<=>?_z', '0123456789ABCDEFGHIJ']) {
      expect(parseDigitalLink(digitalLinkPath({ gtin: '96385074', lot }))).toEqual({
        gtin: '00000096385074',
        lot,
      });
    }
  });

  it('parses element strings into AI values', () => {
    expect(parseElementString('(01)06291041500213(17)270228(10)A1')).toEqual({
      '01': '06291041500213',
      '17': '270228',
      '10': 'A1',
    });
    expect(parseElementString('01062910415002131')).toBeUndefined();
    expect(parseElementString('')).toBeUndefined();
  });
});
