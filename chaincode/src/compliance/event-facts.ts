/**
 * Reads the compliance facts out of a stored EPCIS life-cycle event: residue results and temperatures are EPCIS
 * sensor reports (a report with a chemicalSubstance is a residue result; a report of type Temperature is a
 * reading), the responsible party is the event's recorder.
 */
import type { ComplianceEvent, ResidueResult, TemperatureReading } from '../shared/compliance';
import type { LotEventRecord, SensorReport } from '../shared/epcis';
import { ChaincodeError } from '../shared/errors';

/** UN/ECE Recommendation 20 codes EPCIS uses for concentrations, as our residue units. */
const REC20_RESIDUE_UNITS: Readonly<Record<string, string>> = {
  NA: 'mg/kg',
  J33: 'µg/kg',
  '59': 'ppm',
  '61': 'ppb',
};

/** Rec 20 codes of temperature scales, as reading fields. */
const REC20_TEMPERATURE_FIELDS: Readonly<Record<string, 'celsius' | 'fahrenheit' | 'kelvin'>> = {
  CEL: 'celsius',
  FAH: 'fahrenheit',
  KEL: 'kelvin',
};

/** True if the value is a life-cycle event as the lots contract stores it. */
export function isLotEventRecord(value: unknown): value is LotEventRecord {
  return (
    typeof value === 'object' && value !== null && (value as { docType?: unknown }).docType === 'lotEvent'
  );
}

/** The compliance facts of a stored life-cycle event. */
export function complianceEventOf(event: LotEventRecord): ComplianceEvent {
  const residues: ResidueResult[] = [];
  const readings: TemperatureReading[] = [];
  for (const element of event.sensorElementList ?? []) {
    const defaultTime = element.sensorMetadata?.time ?? element.sensorMetadata?.endTime ?? event.eventTime;
    for (const report of element.sensorReport) {
      if (report.chemicalSubstance !== undefined) residues.push(residueOf(report));
      else if (/(^|:)temperature$/i.test(report.type))
        readings.push(...readingsOf(report, report.time ?? defaultTime));
    }
  }
  return {
    id: event.eventId,
    bizStep: event.bizStep,
    disposition: event.disposition,
    eventTime: event.eventTime,
    actorMsp: event.responsible.mspId,
    actorId: event.responsible.id,
    actorOperator: event.responsible.operator,
    residues: residues.length > 0 ? residues : undefined,
    readings: readings.length > 0 ? readings : undefined,
  };
}

/** A residue result from a sensor report; 'ND' as stringValue means not detected. */
function residueOf(report: SensorReport): ResidueResult {
  const unit = REC20_RESIDUE_UNITS[report.uom ?? ''] ?? report.uom ?? '';
  const substance = report.chemicalSubstance ?? '';
  if (report.stringValue?.toUpperCase() === 'ND') return { substance, value: 'ND', unit };
  if (report.value === undefined) {
    throw new ChaincodeError('INVALID_EVENT', `the result for ${substance} has neither a value nor 'ND'`, {
      substance,
    });
  }
  return { substance, value: report.value, unit };
}

/** The readings of a temperature report: its value, or its minimum and maximum when it summarises a period. */
function readingsOf(report: SensorReport, time: string): TemperatureReading[] {
  const field = REC20_TEMPERATURE_FIELDS[report.uom ?? ''];
  if (!field) {
    throw new ChaincodeError(
      'UNKNOWN_UNIT',
      `unknown temperature unit '${report.uom ?? ''}' (CEL, FAH or KEL)`,
      {
        unit: report.uom ?? null,
      },
    );
  }
  const values =
    report.value !== undefined
      ? [report.value]
      : [report.minValue, report.maxValue].filter((value): value is number => value !== undefined);
  return values.map((value) => ({ time, [field]: value }));
}
