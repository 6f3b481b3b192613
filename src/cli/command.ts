// What every CLI command shares: its signature, usage errors, argument parsing, file reading.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Lang } from '../ob3/model.js';
import { AppError } from '../shared/errors.js';

export type Command = (args: string[], env: { lang: Lang }) => Promise<number>;

/** Wrong arguments: the command's usage line (the help text follows it). */
export const usage = (line: string) => new AppError('USAGE', 400, { usage: line });

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util names the option in quotes; its sentence is English, ours is in LANG's language.
    throw new AppError('ARGUMENTS_INVALID', 400, { option: /'([^']+)'/.exec((error as Error).message)?.[1] ?? args.join(' ') });
  }
}

export function readInputFile(file: string): Buffer {
  try {
    return file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (error) {
    throw new AppError('FILE_UNREADABLE', 400, { file, cause: (error as NodeJS.ErrnoException).code ?? 'EIO' });
  }
}
