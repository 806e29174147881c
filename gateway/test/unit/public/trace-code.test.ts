/** Reading trace codes: element strings, Digital Links and lot IDs, each refusal with its reason. */
import {
  identityFromParts,
  identityFromPath,
  parseTraceCode,
  parseTraceCodeSegment,
} from '../../../src/public/trace-code';

const LOT = { gtin: '06901234567892', lot: 'GV-2026-A', lotId: '06901234567892:GV-2026-A' };

describe('trace codes', () => {
  it.each([
    ['an element string', '(01)06901234567892(10)GV-2026-A'],
    ['an element string with an expiry date', '(01)06901234567892(17)261231(10)GV-2026-A'],
    ['a Digital Link URI', 'https://id.gs1.org/01/06901234567892/10/GV-2026-A'],
    [
      'a Digital Link with query qualifiers',
      'https://trace.example.cn/01/06901234567892/10/GV-2026-A?linkType=gs1:pip&17=261231',
    ],
    ['a Digital Link path', '/01/06901234567892/10/GV-2026-A'],
    ['a lot ID', '06901234567892:GV-2026-A'],
    ['a GTIN-13 lot ID (padded to 14 digits)', '6901234567892:GV-2026-A'],
  ])('reads %s', (_name, code) => {
    expect(parseTraceCode(code)).toEqual({ ok: true, identity: LOT });
  });

  it('reads a serial and percent-encoded characters', () => {
    expect(parseTraceCode('https://r.example/01/06901234567892/10/A%2FB%25/21/S1')).toEqual({
      ok: true,
      identity: { gtin: '06901234567892', lot: 'A/B%', serial: 'S1', lotId: '06901234567892:A/B%' },
    });
  });

  it.each([
    ['a wrong check digit', '(01)06901234567893(10)A1', 'BAD_CHECK_DIGIT', /check digit should be 2/],
    ['a GTIN of 11 digits', '/01/12345678901/10/A1', 'MALFORMED_GTIN', /8, 12, 13 or 14 digits/],
    [
      'a lot longer than 20 characters',
      '(01)06901234567892(10)ABCDEFGHIJKLMNOPQRSTU',
      'MALFORMED_LOT_NUMBER',
      /1-20 characters/,
    ],
    [
      'a lot with a character outside set 82',
      '06901234567892:A1#',
      'MALFORMED_LOT_NUMBER',
      /character set 82/,
    ],
    [
      'a Digital Link without batch/lot',
      'https://r.example/01/06901234567892',
      'MALFORMED_TRACE_CODE',
      /no batch\/lot/,
    ],
    ['an element string without AI 10', '(01)06901234567892', 'MALFORMED_TRACE_CODE', /no batch\/lot/],
    ['text that is no code', 'spinach please', 'MALFORMED_TRACE_CODE', /not a trace code/],
    ['a bad percent-encoding', '/01/06901234567892/10/%E0%A4%A', 'MALFORMED_TRACE_CODE', /percent-encoding/],
  ])('refuses %s with a reason', (_name, code, errorCode, reason) => {
    const parsed = parseTraceCode(code);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.code).toBe(errorCode);
    expect(parsed.problem.reason).toMatch(reason);
  });

  it('reads the percent-encoded segments of a URL path, refusing a malformed escape as a malformed code', () => {
    expect(identityFromPath('06901234567892', 'GV-2026-A')).toEqual({ ok: true, identity: LOT });
    expect(identityFromPath('06901234567892', 'A%2FB', 'S%31')).toMatchObject({
      ok: true,
      identity: { lot: 'A/B', serial: 'S1' },
    });
    expect(parseTraceCodeSegment('(01)06901234567892(10)GV-2026-A')).toEqual({ ok: true, identity: LOT });
    expect(parseTraceCodeSegment('06901234567892%3AGV-2026-A')).toEqual({ ok: true, identity: LOT });
    for (const parsed of [
      identityFromPath('06901234567892', 'A%E0%A4'),
      identityFromPath('06901234567892', 'A1', '%zz'),
      parseTraceCodeSegment('06901234567892%3A%E0'),
    ]) {
      expect(parsed).toMatchObject({ ok: false, problem: { code: 'MALFORMED_TRACE_CODE' } });
      if (!parsed.ok) expect(parsed.problem.reason).toMatch(/percent-encoding/);
    }
  });

  it('checks Digital Link path parts, serial included', () => {
    expect(identityFromParts('06901234567892', 'A1', 'S#1')).toMatchObject({
      ok: false,
      problem: { code: 'MALFORMED_SERIAL' },
    });
  });
});
