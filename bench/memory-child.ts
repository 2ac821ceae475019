// Entry of the memory measurement's child process (started by bench/run.mjs with node --expose-gc):
// prints the result of measure.memory() as one JSON line.
import { memory } from './measure';

const [validations, rounds] = process.argv.slice(2).map(Number);
process.stdout.write(JSON.stringify(memory(validations || 10_000, rounds || 5)) + '\n');
