// Workload: lots:RecordEvent, a 'storing' life-cycle event on a lot the submitting organisation holds. Each worker
// takes the lots round-robin from its own share of the list (worker w uses lots w, w+W, w+2W, ...), so no two
// workers write events on one lot; RecordEvent of a non-depleting step writes only keys named by its transaction
// ID (the event, its per-lot index entry, the evaluation record) and reads the lot, so even events on one lot do
// not conflict; the spread keeps it so should the chaincode start writing the lot.
'use strict';
const fs = require('node:fs');
const { MeasuredWorkload } = require('./measured-workload');

class RecordEventWorkload extends MeasuredWorkload {
  async initializeWorkloadModule(...args) {
    await super.initializeWorkloadModule(...args);
    const [workerIndex, totalWorkers, , roundArguments] = args;
    const lots = JSON.parse(fs.readFileSync(roundArguments.lotsFile, 'utf8')).lots;
    this.lots = lots.filter((_, i) => i % totalWorkers === workerIndex);
    if (this.lots.length === 0)
      throw new Error(`worker ${workerIndex} has no lot: create at least ${totalWorkers}`);
  }

  nextRequest(n) {
    const lotId = this.lots[n % this.lots.length];
    return {
      contractId: this.roundArguments.contractId,
      contractFunction: 'lots:RecordEvent',
      contractArguments: [JSON.stringify({ ...this.roundArguments.event, lotId }), ''],
      invokerIdentity: this.roundArguments.invokerIdentity,
      invokerMspId: this.roundArguments.invokerMspId,
      readOnly: false,
    };
  }
}

module.exports.createWorkloadModule = () => new RecordEventWorkload();
