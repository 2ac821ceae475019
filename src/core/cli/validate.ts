import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeDocument } from '../analyze';
import type { CoreDiagnostic } from '../diagnostics';
import { API_VERSIONS, DEFAULT_API_VERSION, isApiVersion, type ApiVersion } from '../versions';
import { type CliIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';

const USAGE = `Usage: clerk-user-update validate [--api-version V] [--format text|json] FILE...

Checks *.userupdate.json files with the same rules as the editor.
  --api-version V   API version for files without "$api_version" (default ${DEFAULT_API_VERSION});
                    one of ${API_VERSIONS.join(', ')}
  --format F        text (default): one "file:line:col severity code message" line per problem
                    json: [{ "file", "diagnostics": [{ "severity", "code", "message", "path", "range" }] }]
Exit status: 0 no errors (warnings allowed), 1 some file has an error, 2 usage error or unreadable file.
`;

interface Options {
  apiVersion: ApiVersion;
  format: 'text' | 'json';
  files: string[];
}

function parseArgs(args: string[]): Options | string {
  let apiVersion: ApiVersion = DEFAULT_API_VERSION;
  let format: 'text' | 'json' = 'text';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const takeValue = (): string | undefined => (eq !== -1 ? arg.slice(eq + 1) : args[++i]);
    if (flag === '--api-version') {
      const value = takeValue();
      if (value === undefined) return '--api-version needs a value.';
      if (!isApiVersion(value)) return `Unknown API version "${value}". Documented versions: ${API_VERSIONS.join(', ')}.`;
      apiVersion = value;
    } else if (flag === '--format') {
      const value = takeValue();
      if (value !== 'text' && value !== 'json') return `--format must be text or json${value === undefined ? '' : `, not "${value}"`}.`;
      format = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `Unknown option "${arg}".`;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) return 'No file given.';
  return { apiVersion, format, files };
}

interface FileReport {
  file: string;
  diagnostics: CoreDiagnostic[];
}

/** `validate [--api-version V] [--format text|json] FILE...` */
export async function runValidate(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.stderr(`validate: ${options}\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  const reports: FileReport[] = [];
  let unreadable = false;
  for (const file of options.files) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      unreadable = true;
      io.stderr(`validate: cannot read ${file}: ${describeError(error)}\n`);
      continue;
    }
    const analysis = analyzeDocument(text, { defaultApiVersion: options.apiVersion });
    reports.push({ file, diagnostics: analysis.diagnostics });
  }

  if (options.format === 'json') {
    const out = reports.map((r) => ({
      file: r.file,
      diagnostics: r.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, path: d.path, range: d.range })),
    }));
    io.stdout(JSON.stringify(out, null, 2) + '\n');
  } else {
    let text = '';
    for (const r of reports) {
      for (const d of r.diagnostics) {
        text += `${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}\n`;
      }
    }
    io.stdout(text);
  }

  const counts = { error: 0, warning: 0, information: 0 };
  for (const r of reports) for (const d of r.diagnostics) counts[d.severity]++;
  if (options.format === 'text') {
    io.stderr(
      `${reports.length} file${reports.length === 1 ? '' : 's'} checked: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.information} information.\n`,
    );
  }
  if (unreadable) return EXIT_USAGE;
  return counts.error > 0 ? EXIT_FAILURE : EXIT_OK;
}

function describeError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
