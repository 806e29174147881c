import { DecisionDto, MemberParticularsDto, QueryMembersDto } from '../../src/dto/members';
import { ApiError } from '../../src/errors';
import { parseDto } from '../../src/validation';
import { producerParticulars, regulatorParticulars } from './support/fixtures';

/** The ApiError parseDto throws for an input. */
async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err;
}

describe('MemberParticularsDto', () => {
  it('accepts a producer with every particular, and a regulator without a food production licence', async () => {
    const producer = await parseDto(MemberParticularsDto, producerParticulars(), 'body');
    expect(producer).toBeInstanceOf(MemberParticularsDto);
    expect(JSON.parse(JSON.stringify(producer))).toEqual(producerParticulars());
    await expect(parseDto(MemberParticularsDto, regulatorParticulars(), 'body')).resolves.toMatchObject({
      role: 'regulator',
    });
  });

  it('checks a food production licence whenever one is given, whatever the role', async () => {
    const err = await refusal(
      parseDto(MemberParticularsDto, { ...regulatorParticulars(), foodProductionLicence: 'SC123' }, 'body'),
    );
    expect(err).toMatchObject({ status: 400, code: 'INVALID_FOOD_LICENCE' });
    expect(err.message).toBe(
      "body.foodProductionLicence: must be a food production licence ('SC' + 14 digits); producers and processors must give one",
    );
  });

  it('lists every failed field, and uses the first field-specific code', async () => {
    const err = await refusal(
      parseDto(
        MemberParticularsDto,
        { name: '', role: 'producer', businessLicence: 'x', region: '12' },
        'body',
      ),
    );
    expect(err.code).toBe('INVALID_BUSINESS_LICENCE');
    expect((err.details as { fields: { field: string }[] }).fields.map((f) => f.field).sort()).toEqual([
      'businessLicence',
      'foodProductionLicence',
      'name',
      'region',
    ]);
  });

  it('refuses unknown fields, also inside the contact', async () => {
    const err = await refusal(
      parseDto(MemberParticularsDto, { ...producerParticulars(), contact: { fax: '123' } }, 'body'),
    );
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.details).toEqual({
      fields: [{ field: 'contact.fax', messages: ['property fax should not exist'] }],
    });
  });

  it('refuses values of the wrong type without converting them', async () => {
    const err = await refusal(
      parseDto(MemberParticularsDto, { ...producerParticulars(), region: 330183 }, 'body'),
    );
    expect(err.code).toBe('INVALID_REGION');
  });
});

describe('DecisionDto', () => {
  it('needs a reason of 1 to 500 characters that is not blank', async () => {
    await expect(parseDto(DecisionDto, { reason: 'licences checked' }, 'body')).resolves.toEqual({
      reason: 'licences checked',
    });
    for (const reason of ['', ' \t', 'x'.repeat(501), null]) {
      await expect(parseDto(DecisionDto, { reason }, 'body')).rejects.toMatchObject({ status: 400 });
    }
  });
});

describe('QueryMembersDto', () => {
  it('turns a numeric pageSize into a number and keeps the rest', async () => {
    await expect(
      parseDto(QueryMembersDto, { status: 'approved', pageSize: '100', bookmark: 'b' }, 'query'),
    ).resolves.toEqual({ status: 'approved', pageSize: 100, bookmark: 'b' });
    await expect(parseDto(QueryMembersDto, {}, 'query')).resolves.toEqual({});
  });

  it('refuses what is not a query object', async () => {
    const err = await refusal(parseDto(QueryMembersDto, undefined, 'query'));
    expect(err.message).toBe('the request query must be a JSON object');
  });
});
