import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PlanLine, RunPlan } from '../../core/bulk/run/types';
import type { Instance } from '../../core/clerk/instance';
import { formatCount } from '../../core/text/format';

const n = formatCount;

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A value as a person reads it: text as it is (`Ada`), nothing as "(empty)", anything else as JSON. */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "first_name: Ada → Augusta Ada" */
export function changeLine(change: { field: string; before: unknown; after: unknown }): string {
  return `${change.field}: ${plainValue(change.before)} → ${plainValue(change.after)}`;
}

function rows(cells: Array<[string, string]>, caption: string, head: [string, string]): string {
  const body = cells
    .map(([a, b]) => `<tr><th scope="row">${escape(a)}</th><td class="num">${escape(b)}</td></tr>`)
    .join('');
  return `<table><caption>${escape(caption)}</caption><thead><tr><th scope="col">${escape(head[0])}</th><th scope="col" class="num">${escape(head[1])}</th></tr></thead><tbody>${body}</tbody></table>`;
}

function diff(line: PlanLine): string {
  const who = line.user_id ? `${line.target} (${line.user_id})` : line.target;
  const items = line.changes.map((c) => `<li><code>${escape(changeLine(c))}</code></li>`).join('');
  return `<section aria-label="line ${line.row}"><h3>line ${line.row}: ${escape(who)}</h3><ul>${items}</ul></section>`;
}

/**
 * A dry run as a page of a webview: the counts (to change, unchanged, failing), the rows per field,
 * the requests, the rows that cannot be sent and the first 20 changes as `first_name: Ada → Augusta
 * Ada`. No script, no remote content (the policy allows only the page's own style, by its nonce);
 * colours and fonts are the theme's.
 */
export function planHtml(
  fileName: string,
  plan: RunPlan,
  instance: Instance | undefined,
  planFile: string | undefined,
  note: string | undefined,
  nonce: string,
): string {
  const out: string[] = [`<h1>Preview of ${escape(fileName)}: nothing was sent</h1>`];
  if (instance)
    out.push(
      `<p>Compared with the users of ${escape(instance.name)} (${escape(instance.apiUrl)})${instance.production ? ', a <strong>production</strong> instance' : ''}.</p>`,
    );
  if (note) out.push(`<p class="note">${escape(note)}</p>`);
  const counts: Array<[string, string]> = [
    ['to change', n(plan.toChange)],
    ['unchanged (the user already has the values)', n(plan.unchanged)],
    ['failing (cannot be sent)', n(plan.failing)],
  ];
  if (plan.finished) counts.push(['finished by an earlier run (journal)', n(plan.finished)]);
  if (plan.toReconcile) counts.push(['sent without an answer: checked at Clerk first', n(plan.toReconcile)]);
  counts.push(['total', n(plan.total)]);
  out.push(rows(counts, 'Rows', ['rows', 'count']));
  if (plan.fields.length > 0)
    out.push(
      '<h2>Fields</h2>',
      rows(
        plan.fields.map((f) => [f.field, n(f.rows)]),
        'Rows that change each field',
        ['field', 'rows that change it'],
      ),
    );
  const changes = plan.fields.filter((f) => (f.changes ?? []).length > 0);
  if (changes.length > 0) {
    const item = (f: RunPlan['fields'][number]): string =>
      `<li><code>${escape(f.field)}</code>: ${escape((f.changes ?? []).map((c) => `${c.change} × ${n(c.rows)}`).join(', '))}</li>`;
    out.push('<h2>Changes per key</h2>', `<ul>${changes.map(item).join('')}</ul>`);
  }
  if (plan.requests.length > 0)
    out.push(
      '<h2>Requests</h2>',
      `<ul>${plan.requests.map((r) => `<li><code>${escape(r.request)}</code> × ${n(r.count)}</li>`).join('')}</ul>`,
    );
  if (plan.failures.length > 0)
    out.push(
      '<h2>Rows that cannot be sent</h2>',
      `<ul>${plan.failures.map((f) => `<li>${escape(f)}</li>`).join('')}</ul>`,
    );
  if (plan.diffs.length > 0)
    out.push(
      `<h2>The first ${plan.diffs.length === 1 ? 'change' : `${plan.diffs.length} changes`}</h2>`,
      ...plan.diffs.map(diff),
    );
  if (planFile) out.push(`<p>The whole plan, one line per row: <code>${escape(planFile)}</code></p>`);
  const policy = `default-src 'none'; style-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Preview of ${escape(fileName)}</title>
<style nonce="${nonce}">
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 20px 20px; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em; } h3 { font-size: 1em; margin: 1em 0 .3em; }
table { border-collapse: collapse; margin: .5em 0; }
caption { text-align: left; font-weight: 600; padding-bottom: .3em; }
th, td { border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); padding: 3px 10px; text-align: left; }
th[scope="row"] { font-weight: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 1px 4px; }
ul { margin: .2em 0; padding-left: 1.4em; }
.note { border-left: 3px solid var(--vscode-textBlockQuote-border); padding-left: 8px; }
main:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: 4px; }
</style>
</head>
<body>
<main tabindex="0" aria-label="Preview of ${escape(fileName)}">
${out.join('\n')}
</main>
</body>
</html>
`;
}

/** A nonce for the page's policy: fresh for every page. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The previews of bulk files as webview panels: one per file, shown again (with the new plan) when
 * the file is previewed again, closed with the extension.
 */
export class PlanPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  show(uri: vscode.Uri, title: string, html: (nonce: string) => string): vscode.WebviewPanel {
    const key = uri.toString();
    let panel = this.panels.get(key);
    if (!panel) {
      panel = vscode.window.createWebviewPanel(
        'clerkUserUpdate.runPreview',
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { enableScripts: false, localResourceRoots: [] },
      );
      this.panels.set(key, panel);
      const shown = panel;
      shown.onDidDispose(() => {
        if (this.panels.get(key) === shown) this.panels.delete(key);
      });
    } else {
      panel.title = title;
      panel.reveal(vscode.ViewColumn.Beside, false);
    }
    panel.webview.html = html(newNonce());
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}
