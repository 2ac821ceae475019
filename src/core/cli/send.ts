import { type CliIO, EXIT_USAGE } from './io';

export async function runSend(_args: string[], io: CliIO): Promise<number> {
  io.stderr('send: not implemented yet\n');
  return EXIT_USAGE;
}
