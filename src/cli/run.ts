// The command line's dispatcher: picks the command, runs it, and turns every error into one line on stderr and
// an exit code (2 for usage errors, 1 for failures). No stack trace is ever printed.

import { readFileSync } from 'node:fs';
import { CliError, EXIT_FAILURE, EXIT_USAGE, quote } from './errors.js';
import { MAIN_HELP } from './help.js';
import type { Io } from './io.js';
import { presignCommand } from './presign.js';
import { signCommand } from './sign.js';
import { verifyCommand } from './verify.js';
import { INVALID_OPTION } from '../index.js';

const COMMANDS: Readonly<Record<string, (args: readonly string[], io: Io) => Promise<number>>> = {
  presign: presignCommand,
  sign: signCommand,
  verify: verifyCommand,
};

/** The version in package.json, two folders up from this file in both src/cli and dist/cli. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return String(pkg.version);
}

/** Runs the command line `argv` (without `node` and the script) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  const prefix = command !== undefined && Object.hasOwn(COMMANDS, command) ? `sigv4 ${command}` : 'sigv4';
  try {
    if (command === undefined) {
      io.stderr(MAIN_HELP);
      return EXIT_USAGE;
    }
    if (command === '--help' || command === '-h' || (command === 'help' && args.length === 0)) {
      io.stdout(MAIN_HELP);
      return 0;
    }
    if (command === '--version' || command === '-V') {
      io.stdout(`${version()}\n`);
      return 0;
    }
    if (command === 'help') return await run([args[0]!, '--help'], io);
    const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (handler === undefined) {
      throw new CliError(
        `unknown command ${quote(command)}: expected presign, sign or verify (see sigv4 --help)`,
        EXIT_USAGE,
      );
    }
    return await handler(args, io);
  } catch (error) {
    io.stderr(`${prefix}: ${describeError(error)}\n`);
    return error instanceof CliError ? error.exitCode : isOptionError(error) ? EXIT_USAGE : EXIT_FAILURE;
  }
}

// The library's checks of its options throw a TypeError or RangeError with the code ERR_SIGV4_INVALID_OPTION: those
// are caused by the command line (a flag, a header, a variable). Anything else is a bug.
const isOptionError = (error: unknown): error is Error =>
  error instanceof Error && (error as { code?: unknown }).code === INVALID_OPTION;

function describeError(error: unknown): string {
  if (error instanceof CliError || isOptionError(error)) return error.message;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `internal error: ${message.split('\n')[0]} (please report it at the project's issue tracker)`;
}
