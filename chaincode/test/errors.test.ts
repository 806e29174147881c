/** Coded errors (src/shared/errors.ts): the message format the gateway parses, and the code map. */
import { ChaincodeError, ERROR_CODES, isErrorCode, parseChaincodeError } from '../src/shared/errors';

describe('ChaincodeError', () => {
  it('carries {code, message, details} as JSON in its message', () => {
    const error = new ChaincodeError('LOT_NOT_FOUND', 'lot X does not exist', { lotId: 'X' });
    expect(JSON.parse(error.message)).toEqual({
      code: 'LOT_NOT_FOUND',
      message: 'lot X does not exist',
      details: { lotId: 'X' },
    });
    expect(error).toMatchObject({
      code: 'LOT_NOT_FOUND',
      reason: 'lot X does not exist',
      details: { lotId: 'X' },
    });
  });

  it('maps every code to one of the five categories', () => {
    const categories = new Set(['invalid', 'unauthenticated', 'forbidden', 'not_found', 'conflict']);
    for (const [code, category] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(categories.has(category)).toBe(true);
    }
  });
});

describe('parseChaincodeError', () => {
  const body = new ChaincodeError('NOT_CUSTODIAN', 'a {braced} "quoted" message', { lotId: '0690:{x}' })
    .message;

  it('finds the coded object inside the text the peer wraps around it', () => {
    expect(
      parseChaincodeError(`10 ABORTED: failed to endorse transaction, see attached details for more info`),
    ).toBeUndefined();
    expect(parseChaincodeError(`chaincode response 500, ${body}`)).toEqual({
      code: 'NOT_CUSTODIAN',
      message: 'a {braced} "quoted" message',
      details: { lotId: '0690:{x}' },
    });
    expect(parseChaincodeError(`details: [{address: peer0, message: {"other": 1} then ${body}}]`)?.code).toBe(
      'NOT_CUSTODIAN',
    );
  });

  it('ignores JSON without a known code, and broken JSON', () => {
    expect(parseChaincodeError('{"code":"SOMETHING_ELSE","message":"x"}')).toBeUndefined();
    expect(parseChaincodeError('{"code":"LOT_NOT_FOUND"')).toBeUndefined();
    expect(isErrorCode('LOT_NOT_FOUND')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});
