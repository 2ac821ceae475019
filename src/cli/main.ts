import * as readline from 'node:readline/promises';
import { type CliIO, type Command, EXIT_USAGE } from './io';
import { runValidate } from './validate';
import { runSend } from './send/send';
import { runPull } from './pull/pull';
import { runUndo } from './bulk/undoRun';
import { runHistory } from './history';
import { shellQuote, shownPath } from './bulk/bulkPaths';
import { wantsHelp } from './args';
import { withEnvFile } from './envFile';
import { runSnippet } from './snippet';
import { errorMessage } from '../core/text/format';

const USAGE = `Usage: clerk-user-update <command> [options]

Commands:
  validate [--api-version V] [--format text|json] [--allow-secrets] FILE...
  send [--api-url URL] [--api-version V] [--user-id ID] [--yes] [--dry-run] [--timeout S] [--retries N] FILE...
  send [--api-url URL] [--dry-run] [--rate N/10s] [--journal PATH] [--restart] [--report PATH]
       [--retry-failed] [--allow-secrets] [--yes] [--format text|json] FILE.userupdates.jsonl|.csv
  undo [--api-url URL] [--dry-run] [--rate N/10s] [--journal PATH] [--restart] [--report PATH]
       [--yes] [--format text|json] FILE.journal.jsonl
  history [--user ID] [--since DATE] [--format text|json] [--store PATH]
  pull [--api-url URL] [--api-version V] USER_ID
  pull [--api-url URL] (--query Q | --all | --organization ORG) [--format jsonl|csv] [--rate N/10s] [--force] --out FILE
  snippet --lang curl|ts|rust [--api-url URL] [--api-version V] FILE

"clerk-user-update <command> --help" says more about each.

The secret key is read from CLERK_SECRET_KEY, and the API URL from --api-url, else CLERK_API_URL,
else https://api.clerk.com. --env-file PATH (send, undo, pull, snippet) reads both from a dotenv
file instead, as a pair.
`;

const COMMANDS: Record<string, Command> = {
  validate: runValidate,
  send: runSend,
  undo: runUndo,
  pull: runPull,
  snippet: runSnippet,
  history: runHistory,
};
/** The commands that take --env-file (the others refuse it as an unknown option). */
const ENV_FILE_COMMANDS = new Set(['send', 'undo', 'pull', 'snippet']);

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    io.stderr(name === undefined ? USAGE : `Unknown command "${name}".\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (!ENV_FILE_COMMANDS.has(name) || wantsHelp(rest)) return command(rest, io);
  const withFile = await withEnvFile(rest, io);
  if (!withFile.ok) {
    io.stderr(`${name}: ${withFile.message}\n`);
    return EXIT_USAGE;
  }
  return command(rest, withFile.io);
}

/** "node dist/cli.js", as it can be typed again in the current folder. */
function invocation(): string {
  return `node ${shellQuote(shownPath(process.cwd(), process.argv[1] ?? 'cli.js'))}`;
}

function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    invocation: invocation(),
    onInterrupt(listener) {
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
    exit: (code) => process.exit(code),
    async confirm(question) {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      // In a terminal, readline takes Ctrl+C and Ctrl+D itself: without these listeners Ctrl+C
      // would only pause the prompt (the command hung) and Ctrl+D would reject the question.
      rl.once('SIGINT', () => {
        process.stderr.write('\nInterrupted: nothing more is sent.\n');
        process.exit(130);
      });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } catch {
        // Ctrl+D (end of input) at the prompt: not confirmed.
        process.stderr.write('\n');
        return false;
      } finally {
        rl.close();
      }
    },
  };
}

if (require.main === module) {
  main(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Internal error: ${errorMessage(error)}\n`);
      process.exitCode = 1;
    },
  );
}
