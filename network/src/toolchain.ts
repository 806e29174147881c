/**
 * The Fabric toolchain: peer, orderer and tools built from Fabric's Go module at one pinned commit, plus the
 * chaincode-as-a-service builder, cached outside the repository and rebuilt only when missing or re-pinned.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from './exec';
import { detail, step, UserError } from './log';

/** Fabric v3.1.5: the module path has no /v3, so the tag cannot be named and the commit is pinned instead. */
export const FABRIC_COMMIT = '86c1172bec37e6590c6b1ae6f847833df48d65fc';
/** The release that commit is tagged as. */
export const FABRIC_VERSION = '3.1.5';
/** The Fabric programs the network needs. */
export const FABRIC_TOOLS = [
  'peer',
  'orderer',
  'configtxgen',
  'osnadmin',
  'cryptogen',
  'configtxlator',
] as const;
/** The programs of an external chaincode builder. */
export const BUILDER_TOOLS = ['detect', 'build', 'release'] as const;
/** The oldest Go that can build the pinned commit (its go.mod says go 1.26.4). */
export const MIN_GO = [1, 26, 4] as const;

/** Where the toolchain's binaries, sample config and builder are. */
export interface Toolchain {
  binDir: string;
  /** Holds core.yaml and orderer.yaml (FABRIC_CFG_PATH for peers and orderers). */
  configDir: string;
  /** Holds bin/detect, bin/build, bin/release. */
  builderDir: string;
  origin: string;
}

/** The cache folder for the pinned commit. */
export function toolchainCacheDir(): string {
  const base =
    process.env.AGRITRACE_CACHE_DIR ||
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'agritrace');
  return path.join(base, `fabric-${FABRIC_COMMIT.slice(0, 12)}`);
}

interface Stamp {
  commit: string;
  version: string;
  builtAt: string;
  go: string;
  origin: string;
}

function missing(dir: string, names: readonly string[]): string[] {
  return names.filter((n) => {
    try {
      fs.accessSync(path.join(dir, n), fs.constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

function readStamp(dir: string): Stamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'stamp.json'), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** Why the cached toolchain cannot be used, or undefined when it is complete and of the pinned commit. */
export function cacheProblem(dir = toolchainCacheDir()): string | undefined {
  const stamp = readStamp(dir);
  if (!stamp) return 'not built yet';
  if (stamp.commit !== FABRIC_COMMIT)
    return `built from ${stamp.commit.slice(0, 12)}, pinned is ${FABRIC_COMMIT.slice(0, 12)}`;
  const gone = [
    ...missing(path.join(dir, 'bin'), FABRIC_TOOLS),
    ...missing(path.join(dir, 'builders', 'ccaas', 'bin'), BUILDER_TOOLS),
  ];
  if (gone.length) return `missing ${gone.join(', ')}`;
  if (!fs.existsSync(path.join(dir, 'config', 'core.yaml'))) return 'missing config/core.yaml';
  return undefined;
}

function fromOverride(binDir: string): Toolchain {
  const abs = path.resolve(binDir);
  const gone = missing(abs, FABRIC_TOOLS);
  if (gone.length) {
    throw new UserError(
      `FABRIC_BIN_DIR=${abs} lacks ${gone.join(', ')}; point it at a folder with all of ${FABRIC_TOOLS.join(', ')}`,
    );
  }
  const configDir = path.resolve(process.env.FABRIC_CFG_DIR || path.join(abs, '..', 'config'));
  if (!fs.existsSync(path.join(configDir, 'core.yaml'))) {
    throw new UserError(`no core.yaml in ${configDir}; set FABRIC_CFG_DIR to Fabric's sampleconfig folder`);
  }
  const builderDir = path.resolve(
    process.env.FABRIC_CCAAS_BUILDER_DIR || path.join(abs, '..', 'builders', 'ccaas'),
  );
  const gb = missing(path.join(builderDir, 'bin'), BUILDER_TOOLS);
  if (gb.length) {
    throw new UserError(
      `no chaincode-as-a-service builder in ${builderDir}/bin (missing ${gb.join(', ')}); set FABRIC_CCAAS_BUILDER_DIR`,
    );
  }
  return { binDir: abs, configDir, builderDir, origin: `FABRIC_BIN_DIR=${abs}` };
}

function cached(dir: string, origin: string): Toolchain {
  return {
    binDir: path.join(dir, 'bin'),
    configDir: path.join(dir, 'config'),
    builderDir: path.join(dir, 'builders', 'ccaas'),
    origin,
  };
}

/** Parses `go version` output and checks it is new enough. */
export function checkGoVersion(output: string): string {
  const m = /go(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (!m) throw new UserError(`cannot read the Go version from "${output.trim()}"`);
  const have = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  for (let i = 0; i < 3; i++) {
    if (have[i]! > MIN_GO[i]!) break;
    if (have[i]! < MIN_GO[i]!) {
      throw new UserError(
        `Go ${have.join('.')} is too old to build Fabric ${FABRIC_VERSION}: install Go ${MIN_GO.join('.')} or newer ` +
          '(https://go.dev/doc/install) and run `npm run fabric:build` again',
      );
    }
  }
  return have.join('.');
}

async function goInstall(pkgs: string[], gobin: string, label: string): Promise<void> {
  let compiled = 0;
  let last = Date.now();
  const started = Date.now();
  await run('go', ['install', '-v', '-ldflags', LDFLAGS, ...pkgs], {
    env: { ...process.env, GOBIN: gobin, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    onStderrLine: (line) => {
      if (/^[\w.\-/]+$/.test(line)) compiled++;
      if (Date.now() - last > 15000) {
        last = Date.now();
        detail(`${label}: ${compiled} packages compiled, ${Math.round((Date.now() - started) / 1000)}s`);
      }
    },
  }).catch((e: Error) => {
    throw new UserError(
      `building ${label} from github.com/hyperledger/fabric@${FABRIC_COMMIT} failed.\n${e.message}\n` +
        'If the Go module proxy refuses this version, build Fabric elsewhere from that commit and point ' +
        'FABRIC_BIN_DIR at its bin/ folder (with config/ and builders/ccaas/bin/ beside it).',
    );
  });
}

const LDFLAGS = [
  `-X github.com/hyperledger/fabric/common/metadata.Version=${FABRIC_VERSION}`,
  `-X github.com/hyperledger/fabric/common/metadata.CommitSHA=${FABRIC_COMMIT.slice(0, 7)}`,
].join(' ');

/** Builds the toolchain into the cache (from nothing: needs only Go and the module proxy). */
export async function buildToolchain(dir = toolchainCacheDir()): Promise<Toolchain> {
  let goVersion: string;
  try {
    goVersion = checkGoVersion((await run('go', ['version'])).stdout);
  } catch (e) {
    if (e instanceof UserError && /command not found/.test(e.message)) {
      throw new UserError(
        `Go is not installed, and Fabric ${FABRIC_VERSION} is built from source: install Go ${MIN_GO.join('.')} or ` +
          'newer (https://go.dev/doc/install), make sure `go` is on PATH, then run `npm run fabric:build`',
      );
    }
    throw e;
  }
  const tmp = `${dir}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  step(`building Fabric ${FABRIC_VERSION} (${FABRIC_COMMIT.slice(0, 12)}) with Go ${goVersion} into ${dir}`);
  detail('this takes several minutes on a cold Go cache; it happens once per machine');
  await goInstall(
    FABRIC_TOOLS.map((t) => `github.com/hyperledger/fabric/cmd/${t}@${FABRIC_COMMIT}`),
    path.join(tmp, 'bin'),
    'peer, orderer and tools',
  );
  step('building the chaincode-as-a-service builder');
  await goInstall(
    BUILDER_TOOLS.map((t) => `github.com/hyperledger/fabric/ccaas_builder/cmd/${t}@${FABRIC_COMMIT}`),
    path.join(tmp, 'builders', 'ccaas', 'bin'),
    'ccaas builder',
  );
  step("copying Fabric's sample configuration (core.yaml, orderer.yaml)");
  const info = JSON.parse(
    (await run('go', ['mod', 'download', '-json', `github.com/hyperledger/fabric@${FABRIC_COMMIT}`])).stdout,
  ) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new UserError(`cannot locate Fabric's module source: ${info.Error ?? 'no Dir'}`);
  fs.mkdirSync(path.join(tmp, 'config'), { recursive: true });
  for (const f of ['core.yaml', 'orderer.yaml', 'configtx.yaml']) {
    fs.copyFileSync(path.join(info.Dir, 'sampleconfig', f), path.join(tmp, 'config', f));
  }
  const stamp: Stamp = {
    commit: FABRIC_COMMIT,
    version: FABRIC_VERSION,
    builtAt: new Date().toISOString(),
    go: goVersion,
    origin: 'go install from the Go module proxy',
  };
  fs.writeFileSync(path.join(tmp, 'stamp.json'), JSON.stringify(stamp, null, 2));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  step('Fabric toolchain ready');
  return cached(dir, stamp.origin);
}

/** Returns a usable toolchain: FABRIC_BIN_DIR if set, else the cache, building it when needed. */
export async function ensureToolchain(options: { rebuild?: boolean } = {}): Promise<Toolchain> {
  if (process.env.FABRIC_BIN_DIR) return fromOverride(process.env.FABRIC_BIN_DIR);
  const dir = toolchainCacheDir();
  const problem = options.rebuild ? 'rebuild requested' : cacheProblem(dir);
  if (!problem) return cached(dir, readStamp(dir)?.origin ?? 'cache');
  step(`Fabric toolchain: ${problem}`);
  return buildToolchain(dir);
}
