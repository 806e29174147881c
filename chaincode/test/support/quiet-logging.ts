/** Silences the Fabric libraries' per-transaction logging in unit tests, whichever module loaded them first. */
import { setLevel as setContractApiLevel } from 'fabric-contract-api/lib/logger';
import { setLevel as setShimLevel } from 'fabric-shim/lib/logger';

const level = process.env.CORE_CHAINCODE_LOGGING_LEVEL ?? 'CRITICAL';
setShimLevel(level);
setContractApiLevel(level);
// setLevel stores its mapped name ('fatal'), which loggers created later do not recognise: restore ours.
process.env.CORE_CHAINCODE_LOGGING_LEVEL = level;
