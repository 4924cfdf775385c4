import { quoteText } from '../core/errors.js';

// The command line's one error type: a message for stderr and the exit code. Messages are one line, say what is
// wrong and how to fix it, and never hold a secret (a secret key or session token is never put in one).

/** Exit code of a command line that cannot be run as written (unknown flag, bad value, malformed URI). */
export const EXIT_USAGE = 2;
/** Exit code of a command that was well formed but failed (no credentials, unreadable file, invalid signature). */
export const EXIT_FAILURE = 1;

/** An error the command line reports as one line on stderr, then exits with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A command line that cannot be run as written: exit code 2. */
export const usageError = (message: string): CliError => new CliError(message, EXIT_USAGE);

/** A command that was well formed but failed: exit code 1. */
export const failure = (message: string): CliError => new CliError(message, EXIT_FAILURE);

/** A value quoted for a message: JSON string form, cut at 80 characters, so control (and bidi) characters stay visible. */
export function quote(value: string): string {
  return value.length > 80 ? `${quoteText(value.slice(0, 80))}…` : quoteText(value);
}
