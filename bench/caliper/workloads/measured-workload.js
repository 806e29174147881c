// Base of this benchmark's workload modules: sends one transaction per call like any Caliper workload, and also
// keeps every transaction's own latency (Caliper's report gives min/avg/max only; we report median and p95) and,
// in worker 0, snapshots of the peers' and orderers' Prometheus metrics and of the CPU time of every network
// process at the start and end of the round. Both
// go to <outDir>/<roundLabel>-w<worker>.json when the round ends, for bench/caliper/report.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const metrics = require('../../../gateway/bench/support/fabric-metrics');
const { cpuBreakdown, cpuSnapshot } = require('../../../gateway/bench/support/process-cpu');

class MeasuredWorkload extends WorkloadModuleBase {
  async initializeWorkloadModule(
    workerIndex,
    totalWorkers,
    roundIndex,
    roundArguments,
    sutAdapter,
    sutContext,
  ) {
    await super.initializeWorkloadModule(
      workerIndex,
      totalWorkers,
      roundIndex,
      roundArguments,
      sutAdapter,
      sutContext,
    );
    this.samples = [];
    this.failures = 0;
    this.sent = 0;
    if (workerIndex === 0 && roundArguments.metricsNodes) {
      this.metricsBefore = await metrics.snapshot(roundArguments.metricsNodes);
      this.cpuBefore = cpuSnapshot(roundArguments.pidsDir);
    }
  }

  /** The request for the next transaction (subclasses). */
  nextRequest() {
    throw new Error('nextRequest() not implemented');
  }

  async submitTransaction() {
    const request = this.nextRequest(this.sent++);
    const status = await this.sutAdapter.sendRequests(request);
    if (status.GetStatus() === 'success') {
      this.samples.push(status.GetTimeFinal() - status.GetTimeCreate());
    } else {
      this.failures++;
    }
  }

  async cleanupWorkloadModule() {
    const args = this.roundArguments;
    const out = {
      round: args.roundLabel,
      worker: this.workerIndex,
      sent: this.sent,
      failures: this.failures,
      latenciesMs: this.samples,
    };
    if (this.metricsBefore) {
      const cpuAfter = cpuSnapshot(args.pidsDir);
      const after = await metrics.snapshot(args.metricsNodes);
      out.metrics = metrics.breakdown(this.metricsBefore, after, {
        chaincode: args.chaincode,
        gatewayPeer: args.gatewayPeer,
      });
      out.cpu = cpuBreakdown(this.cpuBefore, cpuAfter, out.metrics.validTransactions || undefined);
    }
    fs.mkdirSync(args.outDir, { recursive: true });
    fs.writeFileSync(
      path.join(args.outDir, `${args.roundLabel}-w${this.workerIndex}.json`),
      JSON.stringify(out),
    );
  }
}

module.exports = { MeasuredWorkload };
