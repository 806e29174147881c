/**
 * Structured logging: one JSON object per line on stdout, so a process log can be read by people and by tools
 * alike. Deliberately tiny; the gateway needs levels, fields and silence in tests, nothing more.
 */

/** Extra fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What the gateway logs through. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LEVEL_ORDER: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@link newJsonLogger}. */
export interface JsonLoggerOptions {
  /** Lowest level written; defaults to 'info'. */
  level?: LogLevel;
  /** Fields added to every line (the organisation, for instance). */
  base?: LogFields;
  /** Where lines go; defaults to process.stdout. */
  write?: (line: string) => void;
}

/** A logger writing one JSON object per line: {time, level, msg, ...base, ...fields}. */
export function newJsonLogger(options: Readonly<JsonLoggerOptions> = {}): Logger {
  const threshold = LEVEL_ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const base = options.base ?? {};
  const log =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}): void => {
      if (LEVEL_ORDER[level] < threshold) return;
      const line = { time: new Date().toISOString(), level, msg: message, ...base, ...fields };
      write(`${JSON.stringify(line, jsonSafe)}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** JSON.stringify replacer: bigints as numbers or strings, errors with their name, message and stack. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint')
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** Reads the log level from an environment value, falling back to 'info'. */
export function logLevelFrom(value: string | undefined): LogLevel {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error' ? value : 'info';
}
