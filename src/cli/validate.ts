import { resolve } from 'node:path';
import { analyzeDocument, withReadProblem } from '../core/analyze';
import { readUtf8File, utf8Chunks } from '../node/utf8File';
import { checkBulkStream } from '../core/bulk/format/checkFile';
import { bulkFormatOf } from '../core/bulk/format/formatOf';
import type { BulkFormat, BulkOptions } from '../core/bulk/format/types';
import type { CoreDiagnostic, Severity } from '../core/diagnostics';
import { API_VERSIONS, DEFAULT_API_VERSION } from '../core/versions';
import { apiVersionOption, plural } from './args';
import { startCommand } from './command';
import { type CliIO, describeReadError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';
import { cliMetadataTypes, METADATA_TYPES_OPTION, METADATA_TYPES_USAGE } from './metadataTypes';

const USAGE = `Usage: clerk-user-update validate [--api-version V] [--format text|json] [--allow-secrets] [--metadata-types PATH] FILE...

Checks *.userupdate.json files, and the bulk files *.userupdates.jsonl and *.userupdates.csv
(read as a stream), with the same rules as the editor.
  --api-version V   API version for files and rows without "$api_version" (default ${DEFAULT_API_VERSION});
                    one of ${API_VERSIONS.join(', ')}
  --format F        text (default): one "file:line:col severity code message" line per problem
                    json: [{ "file", "diagnostics": [{ "severity", "code", "message", "path", "range" }] }]
  --allow-secrets   accept password, password_digest, totp_secret and backup_codes in bulk files
${METADATA_TYPES_USAGE}
Exit status: 0 no errors (warnings allowed), 1 some file has an error, 2 usage error or unreadable file.
`;

const OPTIONS = {
  'api-version': { type: 'string' },
  format: { type: 'string' },
  'allow-secrets': { type: 'boolean' },
  ...METADATA_TYPES_OPTION,
  help: { type: 'boolean', short: 'h' },
} as const;

/** Output in pieces of about this many characters: a bulk file may give a diagnostic per row. */
const FLUSH_AT = 64 * 1024;
/** How much of a bulk file is read at a time (bytes). */
const CHUNK_BYTES = 64 * 1024;

/**
 * Writes the diagnostics of one file after another as they come, in the same text as the whole report
 * would be: lines for `text`, and for `json` exactly what JSON.stringify(report, null, 2) gives.
 */
class Report {
  private buffer = '';
  private files = 0;
  private inFile = 0;
  readonly counts = { error: 0, warning: 0, information: 0 };

  constructor(
    private readonly io: CliIO,
    private readonly format: 'text' | 'json',
  ) {}

  startFile(file: string): (d: CoreDiagnostic) => void {
    this.inFile = 0;
    if (this.format === 'json') {
      this.write(
        `${this.files === 0 ? '[\n' : ',\n'}  {\n    "file": ${JSON.stringify(file)},\n    "diagnostics": [`,
      );
    }
    this.files++;
    return (d) => {
      this.counts[d.severity]++;
      if (this.format === 'json') {
        const json = JSON.stringify(
          { severity: d.severity, code: d.code, message: d.message, path: d.path, range: d.range },
          null,
          2,
        );
        this.write(`${this.inFile === 0 ? '\n' : ',\n'}      ${json.replace(/\n/g, '\n      ')}`);
      } else {
        this.write(`${diagnosticLine(file, d)}\n`);
      }
      this.inFile++;
    };
  }

  endFile(): void {
    if (this.format === 'json') this.write(`${this.inFile === 0 ? ']' : '\n    ]'}\n  }`);
  }

  end(): number {
    if (this.format === 'json') this.write(this.files === 0 ? '[]\n' : '\n]\n');
    this.flush();
    return this.files;
  }

  private write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.buffer.length > 0) this.io.stdout(this.buffer);
    this.buffer = '';
  }
}

/** "file:line:col severity code message" (1-based): how the CLI lists a problem. */
export function diagnosticLine(file: string, d: CoreDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`;
}

/**
 * The problems of one severity in a bulk file, read again as a stream (a run that was refused
 * lists its errors as `validate` does): the first `max` are handed on, all are counted.
 */
export async function bulkProblems(
  path: string,
  format: BulkFormat,
  options: BulkOptions,
  severity: Severity,
  max: number,
  emit: (d: CoreDiagnostic) => void,
): Promise<number> {
  let count = 0;
  const sink = {
    diagnostic(d: CoreDiagnostic) {
      if (d.severity !== severity) return;
      if (count++ < max) emit(d);
    },
  };
  await checkBulkStream(
    await utf8Chunks(path, { csv: format === 'csv', chunkBytes: CHUNK_BYTES }, sink.diagnostic),
    format,
    options,
    sink,
  );
  return count;
}

/** `validate [--api-version V] [--format text|json] [--allow-secrets] [--metadata-types PATH] FILE...` */
export async function runValidate(args: string[], io: CliIO): Promise<number> {
  const started = startCommand('validate', USAGE, args, OPTIONS, io);
  if (!started.ok) return started.exit;
  const { parsed, usage } = started;
  const checkedVersion = apiVersionOption(parsed.values['api-version']);
  if (!checkedVersion.ok) return usage(checkedVersion.message);
  const apiVersion = checkedVersion.version;
  const format = parsed.values.format ?? 'text';
  if (format !== 'text' && format !== 'json') return usage(`--format must be text or json, not "${format}".`);
  const files = parsed.positionals;
  if (files.length === 0) return usage('No file given.');
  const metadata = await cliMetadataTypes(io, parsed.values['metadata-types']);
  if (!metadata.ok) return usage(metadata.message);
  const metadataTypes = metadata.types;

  const report = new Report(io, format);
  let unreadable = false;
  for (const file of files) {
    const path = resolve(io.cwd, file);
    const ok = await validateFile(file, path, report, {
      defaultApiVersion: apiVersion,
      allowSecrets: parsed.values['allow-secrets'] === true,
      metadataTypes,
    });
    if (!ok.readable) {
      unreadable = true;
      io.stderr(`validate: cannot read ${file}: ${describeReadError(ok.error)}\n`);
    }
  }
  const checked = report.end();

  const counts = report.counts;
  if (format === 'text') {
    io.stderr(
      `${plural(checked, 'file')} checked: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.information} information.\n`,
    );
  }
  if (unreadable) return EXIT_USAGE;
  return counts.error > 0 ? EXIT_FAILURE : EXIT_OK;
}

async function validateFile(
  file: string,
  path: string,
  report: Report,
  options: BulkOptions,
): Promise<{ readable: true } | { readable: false; error: unknown }> {
  const format = bulkFormatOf(file);
  if (!format) {
    let read: Awaited<ReturnType<typeof readUtf8File>>;
    try {
      read = await readUtf8File(path);
    } catch (error) {
      return { readable: false, error };
    }
    const emit = report.startFile(file);
    for (const d of withReadProblem(
      analyzeDocument(read.text, {
        defaultApiVersion: options.defaultApiVersion,
        metadataTypes: options.metadataTypes,
      }),
      read.problem,
    ).diagnostics)
      emit(d);
    report.endFile();
    return { readable: true };
  }
  let chunks: AsyncIterable<string>;
  let emit: (d: CoreDiagnostic) => void = () => undefined;
  try {
    chunks = await utf8Chunks(path, { csv: format === 'csv', chunkBytes: CHUNK_BYTES }, (d) => emit(d));
  } catch (error) {
    return { readable: false, error };
  }
  emit = report.startFile(file);
  await checkBulkStream(chunks, format, options, { diagnostic: emit });
  report.endFile();
  return { readable: true };
}
