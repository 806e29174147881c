#!/usr/bin/env node
// Entry point of every root npm script (start, stop, test, network:*). It needs nothing but Node: on a fresh
// clone it installs the npm packages and builds the TypeScript, then hands over to network/dist/cli.js.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`error: Node.js ${process.versions.node} is too old; AgriTrace needs Node.js 20 or newer`);
  process.exit(1);
}

// better-sqlite3 is compiled from source by node-gyp, which would otherwise download Node's headers from the
// internet: point it at the headers installed with this Node.
const headers = join(dirname(dirname(process.execPath)), 'include', 'node');
const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync(join(headers, 'node.h')))
  env.npm_config_nodedir = dirname(dirname(headers));

function sh(what, command, args) {
  console.log(`[agritrace] ${what}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`error: ${what} failed (${command} ${args.join(' ')}); fix the error above and try again`);
    process.exit(r.status ?? 1);
  }
}

const args = process.argv.slice(2);
const needsBuild = !['help', '--help', '-h'].includes(args[0] ?? 'help');
if (needsBuild) {
  const installed = ['typescript', 'fabric-shim', '@hyperledger/fabric-gateway'].every((p) =>
    existsSync(join(root, 'node_modules', p, 'package.json')),
  );
  if (!installed) sh('installing npm packages (npm ci)', 'npm', ['ci', '--no-audit', '--no-fund']);
  // tsc -b is incremental: a no-op when nothing changed.
  sh('building TypeScript (tsc -b)', 'npx', ['tsc', '-b', 'chaincode', 'gateway', 'network']);
  // The portal (served by every gateway) is built by Vite when its sources are newer than its build.
  if (existsSync(join(root, 'portal', 'package.json')) && portalIsStale()) {
    sh('building the portal (vite build)', 'npm', ['run', 'build', '--workspace', 'portal']);
  }
}

/** True if portal/dist is missing or older than any source of the portal or of the shared types it imports. */
function portalIsStale() {
  const built = join(root, 'portal', 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newer = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return false;
    if (!stat.isDirectory()) return stat.mtimeMs > builtAt;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  return [
    'portal/src',
    'portal/public',
    'portal/index.html',
    'portal/vite.config.ts',
    'chaincode/src/shared',
  ].some((path) => newer(join(root, path)));
}
const cli = join(root, 'network', 'dist', 'cli.js');
if (!existsSync(cli)) {
  sh('building TypeScript (tsc -b)', 'npx', ['tsc', '-b', 'network']);
}
const { main } = createRequire(import.meta.url)(cli);
const code = await main(args);
process.exitCode = code;
