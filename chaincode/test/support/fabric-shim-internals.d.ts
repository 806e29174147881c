/** Types for the fabric-shim dispatcher that the fake ledger drives (not part of fabric-shim's typed API). */
declare module 'fabric-shim/lib/contract-spi/chaincodefromcontract' {
  import type { ChaincodeResponse, ChaincodeStub } from 'fabric-shim-api';

  /** Turns contract classes into a chaincode: routes "contract:Function" calls with marshalled arguments. */
  export default class ChaincodeFromContract {
    constructor(
      contractClasses: unknown[],
      serializers: { transaction: string; serializers: Record<string, unknown> },
      metadata: object,
      title: string,
      version: string,
    );
    Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse>;
  }
}

declare module 'fabric-shim/lib/logger' {
  /** Sets the level of every fabric-shim logger, present and future. */
  export function setLevel(level: string): void;
}

declare module 'fabric-contract-api/lib/logger' {
  /** Sets the level of every fabric-contract-api logger, present and future. */
  export function setLevel(level: string): void;
}
