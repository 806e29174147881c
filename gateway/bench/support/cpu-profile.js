// Aggregates a V8 CPU profile (from the inspector or node --cpu-prof) into self time by module (a package under
// node_modules, a source folder of ours, Node itself, the garbage collector) and the busiest functions, per
// transaction or request.
'use strict';

/** The module a call frame belongs to: a package under node_modules, a chaincode source folder, or Node. */
function moduleOf(url) {
  if (!url) return '(native / V8)';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 14).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.includes('/chaincode/test/')) return 'test ledger (stands in for the peer)';
  const dist = file.indexOf('/gateway/dist/');
  if (dist >= 0)
    return `gateway/${
      file
        .slice(dist + 14)
        .split('/')
        .slice(0, -1)
        .join('/') || '.'
    }`;
  const ccDist = file.indexOf('/chaincode/dist/');
  if (ccDist >= 0)
    return `chaincode/${
      file
        .slice(ccDist + 16)
        .split('/')
        .slice(0, -1)
        .join('/') || '.'
    }`;
  const src = file.indexOf('/chaincode/src/');
  if (src >= 0)
    return `chaincode/src/${
      file
        .slice(src + 15)
        .split('/')
        .slice(0, -1)
        .join('/') || '.'
    }`;
  if (file.startsWith('node:')) return 'node core';
  if (file.includes('/gateway/bench/')) return 'benchmark driver';
  return file;
}

/** Self time by module and the busiest functions, in ms per transaction (or request). */
function selfTimes(profile, transactions, top = 8) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const modules = new Map();
  const functions = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    total += us;
    const mod = frame.functionName === '(garbage collector)' ? '(garbage collector)' : moduleOf(frame.url);
    modules.set(mod, (modules.get(mod) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} (${mod}${frame.url ? `:${frame.lineNumber + 1}` : ''})`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const per = (us) => Math.round((us / 1000 / transactions) * 100) / 100;
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    cpuMsPerTransaction: per(total),
    byModule: sorted(modules)
      .filter(([, us]) => us / total >= 0.01)
      .map(([name, us]) => ({ module: name, ms: per(us), share: Math.round((us / total) * 100) })),
    topFunctions: sorted(functions)
      .slice(0, top)
      .map(([name, us]) => ({ function: name, ms: per(us) })),
  };
}

module.exports = { selfTimes, moduleOf };
