// What every CLI command shares: its signature, usage errors, argument parsing, file reading.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Lang } from '../ob3/model.js';

export type Command = (args: string[], env: { lang: Lang }) => Promise<number>;

export class UsageError extends Error {
  /** Whether the help text helps (wrong arguments) or not (a missing file). */
  constructor(message: string, readonly showHelp = true) {
    super(message);
  }
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function readInputFile(file: string): Buffer {
  try {
    return file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, false);
  }
}
