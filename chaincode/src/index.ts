/** Chaincode entry point: fabric-chaincode-node loads `contracts` from the package's main module. */
import 'reflect-metadata';
import type { Contract } from 'fabric-contract-api';
import { skipDisabledLogLevels } from './lib/fabric-logging';
import { memoizeValidationMetadata } from './lib/validation-metadata';
import { ComplianceContract } from './compliance/compliance-contract';
import { RuleSetContract } from './compliance/rule-set-contract';
import { DeviceContract } from './devices/device-contract';
import { LotContract } from './lots/lot-contract';
import { MemberContract } from './members/member-contract';
import { RecallContract } from './recalls/recall-contract';
import { TraceContract } from './trace/trace-contract';
import { TransferContract } from './transfers/transfer-contract';
import { TransformationContract } from './transformations/transformation-contract';

export { ComplianceContract } from './compliance/compliance-contract';
export { RuleSetContract } from './compliance/rule-set-contract';
export { DeviceContract } from './devices/device-contract';
export { enforceCompliance, evaluateEvent, recordViolations } from './compliance/evaluation';
export { applicableRuleSets } from './compliance/rule-set-store';
export { putLotOnHold } from './compliance/lot-hold';
export { releaseLotViolations } from './compliance/violation-decisions';
export { LotContract } from './lots/lot-contract';
export { MemberContract } from './members/member-contract';
export { RecallContract } from './recalls/recall-contract';
export { TraceContract } from './trace/trace-contract';
export { TransferContract } from './transfers/transfer-contract';
export { TransformationContract } from './transformations/transformation-contract';
export { assertApprovedMember, assertRegulator } from './members/member-authorization';

skipDisabledLogLevels();
memoizeValidationMetadata();

/** The contracts this chaincode serves; the first (members) is the default contract. */
export const contracts: (typeof Contract)[] = [
  MemberContract,
  LotContract,
  TransferContract,
  TransformationContract,
  TraceContract,
  RecallContract,
  RuleSetContract,
  ComplianceContract,
  DeviceContract,
];
