/** Progress output for long steps: one line per step, with elapsed time. */

const started = Date.now();

function stamp(): string {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  return `[${s}s]`;
}

/** Prints a progress line. */
export function step(message: string): void {
  console.log(`${stamp()} ${message}`);
}

/** Prints a detail line under a step. */
export function detail(message: string): void {
  console.log(`${' '.repeat(9)}  ${message}`);
}

/** Prints a warning. */
export function warn(message: string): void {
  console.warn(`${stamp()} warning: ${message}`);
}

/** An error whose message is meant for the user as is: it names the cause and what to do. */
export class UserError extends Error {}
