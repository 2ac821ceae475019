import { type CliIO, EXIT_USAGE } from './io';

export async function runPull(_args: string[], io: CliIO): Promise<number> {
  io.stderr('pull: not implemented yet\n');
  return EXIT_USAGE;
}
