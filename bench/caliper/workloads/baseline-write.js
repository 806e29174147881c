// Workload: baseline:Write, one key per transaction whose value is a life-cycle event record as the chaincode
// stored one (same size), under a key unique to the worker, round and transaction.
'use strict';
const { MeasuredWorkload } = require('./measured-workload');

class BaselineWriteWorkload extends MeasuredWorkload {
  nextRequest(n) {
    return {
      contractId: this.roundArguments.contractId,
      contractFunction: 'baseline:Write',
      contractArguments: [
        `${this.roundArguments.roundLabel}-${this.workerIndex}-${n}`,
        this.roundArguments.value,
      ],
      invokerIdentity: this.roundArguments.invokerIdentity,
      invokerMspId: this.roundArguments.invokerMspId,
      readOnly: false,
    };
  }
}

module.exports.createWorkloadModule = () => new BaselineWriteWorkload();
