/**
 * The Fabric libraries' loggers drop a message below their level before formatting it, and still format and write
 * everything at or above it.
 */
import { Writable } from 'stream';
import * as winston from 'winston';
import { skipDisabledLogLevels } from '../src/lib/fabric-logging';

function logger(level: string) {
  const formatted: string[] = [];
  const written: string[] = [];
  const instance = winston.createLogger({
    level,
    format: winston.format.combine(
      winston.format((info) => {
        formatted.push(String(info.message));
        return info;
      })(),
      winston.format.printf((info) => `${info.level} ${String(info.message)}`),
    ),
    transports: [
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            written.push(chunk.toString().trim());
            done();
          },
        }),
      }),
    ],
  });
  return { instance, formatted, written };
}

describe('Fabric library logging', () => {
  it('formats only the messages its level lets through, and writes the same as before', () => {
    const before = logger('info');
    before.instance.debug('per-request detail');
    before.instance.info('transaction done');
    // winston as shipped formats the debug line too, then drops it.
    expect(before.formatted).toEqual(['per-request detail', 'transaction done']);

    skipDisabledLogLevels();
    skipDisabledLogLevels(); // a second call changes nothing
    const after = logger('info');
    after.instance.debug('per-request detail');
    after.instance.info('transaction done');
    after.instance.warn('slow peer', { ms: 900 });
    after.instance.log('error', 'failed');
    expect(after.formatted).toEqual(['transaction done', 'slow peer', 'failed']);
    expect(after.written).toEqual(['info transaction done', 'warn slow peer', 'error failed']);
    expect(before.written).toEqual(['info transaction done']);

    const verbose = logger('debug');
    verbose.instance.debug('per-request detail');
    expect(verbose.written).toEqual(['debug per-request detail']);
  });
});
