import { type CliIO, EXIT_USAGE } from './io';

export async function runValidate(_args: string[], io: CliIO): Promise<number> {
  io.stderr('validate: not implemented yet\n');
  return EXIT_USAGE;
}
