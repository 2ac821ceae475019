// An in-host probe (same run() contract as index.ts) that measures our extension's activation.
// scripts/run-integration.mjs runs it in a fresh host on a workspace holding only `plain.json`,
// so nothing has activated the extension yet. It writes { passed, failed, activation } to
// CLERK_UU_TEST_RESULTS. Reusable by benchmarks: run it N times and read `activation.activationMs`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  measureActivation,
  waitForDiagnostics,
  workspaceRoot,
  type ActivationMeasurement,
} from './helpers';

export interface ActivationResults {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  activation?: ActivationMeasurement & {
    /** Whether opening a plain (not *.userupdate.json) JSON file activated the extension. */
    activatedByPlainJson?: boolean;
  };
}

function write(results: ActivationResults): void {
  const file = process.env.CLERK_UU_TEST_RESULTS;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

export async function run(): Promise<void> {
  const results: ActivationResults = { passed: 0, failed: 0, pending: 0, failures: [] };
  try {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
    let activatedByPlainJson: boolean | undefined;
    const plain = path.join(workspaceRoot(), 'plain.json');
    if (!extension.isActive && fs.existsSync(plain)) {
      // plain.json has a syntax error: once the JSON language service has reported it, the
      // open has been processed, and an onLanguage:json activation would have started.
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(plain));
      await vscode.window.showTextDocument(document);
      await waitForDiagnostics(document.uri, (d) => d.length > 0, {
        allSources: true,
        what: 'JSON syntax diagnostics on plain.json',
      });
      activatedByPlainJson = extension.isActive;
    }
    results.activation = { ...(await measureActivation(EXTENSION_ID)), activatedByPlainJson };
    results.passed = 1;
  } catch (error) {
    results.failed = 1;
    results.failures.push({
      title: 'activation probe',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
  write(results);
  if (results.failed) throw new Error(results.failures[0].error);
}
