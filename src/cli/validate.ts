import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeDocument } from '../core/analyze';
import type { CoreDiagnostic } from '../core/diagnostics';
import { API_VERSIONS, DEFAULT_API_VERSION } from '../core/versions';
import { apiVersionOption, parseOptions, plural, wantsHelp } from './args';
import { type CliIO, describeReadError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';

const USAGE = `Usage: clerk-user-update validate [--api-version V] [--format text|json] FILE...

Checks *.userupdate.json files with the same rules as the editor.
  --api-version V   API version for files without "$api_version" (default ${DEFAULT_API_VERSION});
                    one of ${API_VERSIONS.join(', ')}
  --format F        text (default): one "file:line:col severity code message" line per problem
                    json: [{ "file", "diagnostics": [{ "severity", "code", "message", "path", "range" }] }]
Exit status: 0 no errors (warnings allowed), 1 some file has an error, 2 usage error or unreadable file.
`;

const OPTIONS = {
  'api-version': { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface FileReport {
  file: string;
  diagnostics: CoreDiagnostic[];
}

/** `validate [--api-version V] [--format text|json] FILE...` */
export async function runValidate(args: string[], io: CliIO): Promise<number> {
  const usage = (message: string): number => {
    io.stderr(`validate: ${message}\n\n${USAGE}`);
    return EXIT_USAGE;
  };
  if (wantsHelp(args)) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const parsed = parseOptions(args, OPTIONS);
  if ('error' in parsed) return usage(parsed.error);
  const apiVersion = apiVersionOption(parsed.values['api-version']);
  if (typeof apiVersion !== 'string') return usage(apiVersion.error);
  const format = parsed.values.format ?? 'text';
  if (format !== 'text' && format !== 'json') return usage(`--format must be text or json, not "${format}".`);
  const files = parsed.positionals;
  if (files.length === 0) return usage('No file given.');
  const options = { apiVersion, format, files };

  const reports: FileReport[] = [];
  let unreadable = false;
  for (const file of options.files) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      unreadable = true;
      io.stderr(`validate: cannot read ${file}: ${describeReadError(error)}\n`);
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
      `${plural(reports.length, 'file')} checked: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.information} information.\n`,
    );
  }
  if (unreadable) return EXIT_USAGE;
  return counts.error > 0 ? EXIT_FAILURE : EXIT_OK;
}
