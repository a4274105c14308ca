import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * How every command line of the product reads its arguments (node:util parseArgs, strict) and
 * answers the two ways a run ends before it starts: `--help`/`-h` prints the usage on stdout and
 * exits 0; a command line that cannot be run as given prints why and the usage on stderr and
 * exits 2.
 */

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/**
 * A command line that cannot be run as given (exit 2). `showUsage: false` for a value the command
 * line is right to name but that names something unusable (a file that is not a store, a folder
 * that does not exist): the reason alone says what to fix.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

/** `--help` or `-h` was given: the usage is the whole answer (exit 0). */
class HelpRequested extends Error {}

/**
 * The options and positionals of a command line. Refused, as a UsageError: an unknown option, a
 * missing value, a positional where none is taken, an option given twice (parseArgs would keep the
 * last one silently) and an empty value (`--out=`: nothing named). `--help`/`-h`, taken by every
 * command, throws HelpRequested once the line parses.
 */
export function readCommandLine<O extends Options>(
  args: readonly string[],
  options: O,
  allowPositionals = false,
): { values: Values<O>; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: Options; allowPositionals: boolean; strict: true; tokens: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true, tokens: true });
  } catch (error) {
    if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message);
    throw error;
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given twice`);
    seen.add(token.name);
    if (token.value === '') throw new UsageError(`--${token.name} needs a value`);
  }
  if (parsed.values.help) throw new HelpRequested();
  return { values: parsed.values as Values<O>, positionals: parsed.positionals };
}

/**
 * The exit code for a run that ended in HelpRequested (0, usage on stdout) or a UsageError (2,
 * message and usage on stderr), having written them; undefined for any other error, which the
 * command reports in its own way.
 */
export function usageExit(error: unknown, usage: string): number | undefined {
  if (error instanceof HelpRequested) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (error instanceof UsageError) {
    process.stderr.write(error.showUsage ? `${error.message ? `${error.message}\n\n` : ''}${usage}\n` : `${error.message}\n`);
    return 2;
  }
  return undefined;
}

/**
 * Runs the subcommand a command line names (`npm run audit -- replay …`): its function gets the
 * arguments after it. `--help`, `-h` and `help` ask for the usage; no subcommand or an unknown
 * one is a usage error.
 */
export async function runSubcommand(
  argv: readonly string[],
  commands: Readonly<Record<string, (args: readonly string[]) => Promise<number>>>,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') throw new HelpRequested();
  if (command === undefined) throw new UsageError('');
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!run) throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  return run(rest);
}
