/**
 * fabric-shim and fabric-contract-api log through winston, and winston formats every message (timestamp, metadata,
 * colours, padding, printf) before its transport drops those below the level. The libraries log a dozen debug
 * lines per transaction, so at the default level (info), where none of them is written, formatting them took about
 * a quarter of this chaincode's CPU. `skipDisabledLogLevels` makes winston's loggers drop a message below their
 * level before formatting it; what is written does not change.
 */
import * as path from 'path';

const PATCHED = Symbol.for('agritrace.winston.skipDisabledLevels');
/** triple-beam's LEVEL symbol: the level a winston info object is logged at. */
const LEVEL = Symbol.for('level');

interface WinstonLoggerPrototype {
  _transform(info: Record<string | symbol, unknown>, encoding: string, callback: () => void): void;
  isLevelEnabled(level: string): boolean;
  [PATCHED]?: true;
}

/** The winston each of the Fabric libraries logs through (normally one, hoisted). */
function winstonLoggerPrototypes(): WinstonLoggerPrototype[] {
  const prototypes = new Set<WinstonLoggerPrototype>();
  for (const library of ['fabric-shim', 'fabric-contract-api']) {
    try {
      const base = path.dirname(require.resolve(`${library}/package.json`));
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the winston instance each library loads
      const winston = require(require.resolve('winston', { paths: [base] })) as {
        Logger: { prototype: WinstonLoggerPrototype };
      };
      prototypes.add(winston.Logger.prototype);
    } catch {
      // A library without winston logs some other way: nothing to do.
    }
  }
  return [...prototypes];
}

/** Makes the Fabric libraries' winston loggers skip messages below their level before formatting them. */
export function skipDisabledLogLevels(): void {
  for (const prototype of winstonLoggerPrototypes()) {
    if (prototype[PATCHED]) continue;
    const transform = prototype._transform;
    prototype._transform = function (this: WinstonLoggerPrototype, info, encoding, callback) {
      const level = (info[LEVEL] ?? info.level) as string | undefined;
      if (typeof level === 'string' && !this.isLevelEnabled(level)) {
        callback();
        return;
      }
      transform.call(this, info, encoding, callback);
    };
    prototype[PATCHED] = true;
  }
}
