// CPU time of the network's own processes (from their pid files and /proc), and of the whole machine, between
// two snapshots: on a shared two-core machine this says which process the time went to (a chaincode server,
// a peer, an orderer, a gateway) and how much the load generator and everything else took. Linux only; elsewhere
// the snapshots are empty.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) of one process, or undefined if it is gone. */
function processCpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return undefined;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
function machineCpuSeconds() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const all = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (all - idle) / TICKS_PER_SECOND, total: all / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** CPU seconds of every process with a pid file in `pidsDir`, and of the machine. */
function cpuSnapshot(pidsDir) {
  const processes = {};
  let files = [];
  try {
    files = fs.readdirSync(pidsDir).filter((f) => f.endsWith('.pid'));
  } catch {
    /* no network state */
  }
  for (const f of files) {
    const pid = Number(fs.readFileSync(path.join(pidsDir, f), 'utf8').trim());
    const seconds = processCpuSeconds(pid);
    if (seconds !== undefined) processes[f.slice(0, -4)] = seconds;
  }
  return { at: Date.now(), processes, machine: machineCpuSeconds() };
}

/** Which group a process belongs to: orderer, peer, each chaincode's servers, gateway. */
function groupOf(name) {
  if (name.startsWith('orderer')) return 'orderers';
  if (name.startsWith('peer')) return 'peers';
  if (name.startsWith('ccaas-')) return `chaincode ${name.slice(6, name.indexOf('.'))}`;
  if (name.startsWith('ccaas.')) return 'chaincode agritrace';
  if (name.startsWith('gateway')) return 'gateways';
  return name;
}

/**
 * CPU ms spent between two snapshots by group (and by the busiest single processes), the machine's busy share,
 * and 'other' (load generator, other users of the machine); divided by `per` (e.g. transactions) when given.
 */
function cpuBreakdown(before, after, per) {
  const scale = (seconds) => Math.round(((seconds * 1000) / (per || 1)) * 10) / 10;
  const groups = {};
  const processes = [];
  let ours = 0;
  for (const [name, seconds] of Object.entries(after.processes)) {
    const spent = seconds - (before.processes[name] ?? seconds);
    if (spent <= 0) continue;
    ours += spent;
    const g = groupOf(name);
    groups[g] = (groups[g] ?? 0) + spent;
    processes.push([name, spent]);
  }
  const busy = after.machine && before.machine ? after.machine.busy - before.machine.busy : undefined;
  const total = after.machine && before.machine ? after.machine.total - before.machine.total : undefined;
  return {
    unit: per ? 'CPU ms per transaction' : 'CPU ms',
    groups: Object.fromEntries(Object.entries(groups).map(([g, s]) => [g, scale(s)])),
    busiest: processes
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([name, s]) => ({ name, cpu: scale(s) })),
    other: busy !== undefined ? scale(Math.max(0, busy - ours)) : null,
    machineBusyPercent: busy !== undefined && total ? Math.round((busy / total) * 1000) / 10 : null,
  };
}

module.exports = { cpuSnapshot, cpuBreakdown, processCpuSeconds, machineCpuSeconds };
