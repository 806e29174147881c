/** class-validator's metadata lookups, memoized (src/lib/validation-metadata.ts): same verdicts, looked up once. */
import 'reflect-metadata';
import { getMetadataStorage, IsInt, IsString, Length, Min, registerDecorator } from 'class-validator';
import { memoizeValidationMetadata } from '../src/lib/validation-metadata';
import { parseJsonArgument } from '../src/lib/validation';
import { RecordEventDto } from '../src/lots/lot-dto';
import { ChaincodeError } from '../src/shared/errors';

memoizeValidationMetadata();
const storage = getMetadataStorage();

/** The coded refusal of parsing `json` as `type`, or undefined if it parses. */
function refusal(type: new () => object, json: string): { code: string; fields: unknown } | undefined {
  try {
    parseJsonArgument(type, json, 'argument');
    return undefined;
  } catch (error) {
    if (!(error instanceof ChaincodeError)) throw error;
    return { code: error.code, fields: (error.details as { fields?: unknown }).fields };
  }
}

describe('memoized validation metadata', () => {
  it('looks a class up once and answers the same metadata after', () => {
    const first = storage.getTargetValidationMetadatas(RecordEventDto, '', false, false);
    const again = storage.getTargetValidationMetadatas(RecordEventDto, '', false, false);
    expect(again).toBe(first);
    expect(first.map((metadata) => metadata.propertyName)).toContain('bizStep');
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(again));
    // Other options are looked up on their own.
    expect(storage.getTargetValidationMetadatas(RecordEventDto, '', true, false)).not.toBe(first);
  });

  it('gives the same verdicts on every call, valid and invalid', () => {
    for (let i = 0; i < 3; i++) {
      expect(refusal(RecordEventDto, JSON.stringify({ lotId: 'x', bizStep: 'storing' }))).toBeUndefined();
      expect(
        refusal(RecordEventDto, JSON.stringify({ lotId: 'x', bizStep: 'storing', colour: 'red' })),
      ).toEqual({
        code: 'INVALID_ARGUMENT',
        fields: [{ field: 'colour', messages: ['property colour should not exist'] }],
      });
    }
  });

  it('forgets what it memoized when a class loaded later adds metadata, its base class included', () => {
    class Parcel {
      @IsString() @Length(1, 10) label!: string;
    }
    expect(refusal(Parcel, '{"label":"box"}')).toBeUndefined();
    class WeighedParcel extends Parcel {
      @IsInt() @Min(1) grams!: number;
    }
    expect(refusal(WeighedParcel, '{"label":"box","grams":5}')).toBeUndefined();
    expect(refusal(WeighedParcel, '{"label":"box","grams":0}')?.fields).toEqual([
      { field: 'grams', messages: ['grams must not be less than 1'] },
    ]);
    expect(refusal(WeighedParcel, '{"label":"","grams":5}')?.code).toBe('INVALID_ARGUMENT');
    expect(refusal(Parcel, '{"label":"box","grams":5}')?.fields).toEqual([
      { field: 'grams', messages: ['property grams should not exist'] },
    ]);
    // A rule added to a class already looked up applies from then on.
    registerDecorator({
      target: Parcel,
      propertyName: 'label',
      options: { message: 'label must be upper case' },
      validator: { validate: (value: unknown) => typeof value === 'string' && value === value.toUpperCase() },
    });
    expect(refusal(Parcel, '{"label":"box"}')?.fields).toEqual([
      { field: 'label', messages: ['label must be upper case'] },
    ]);
    expect(refusal(Parcel, '{"label":"BOX"}')).toBeUndefined();
  });
});
