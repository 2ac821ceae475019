import * as vscode from 'vscode';
import type { ClerkUser } from '../../core/clerk/types';
import { describeDiagnostic } from '../../core/diagnostics';
import { payloadValue } from '../../core/payload/value';
import { previewUpdate, type UpdatePreview } from '../../core/users/preview';
import type { ClientFactory } from '../environments/clients';
import type { DiagnosticsController } from '../authoring/diagnostics';
import { isUserUpdateDocument } from '../documents';
import { ReadonlyDocuments } from '../readonlyDocuments';
import { pickUser } from '../users/userPicker';

export interface PreviewResult {
  status: 'shown' | 'blocked' | 'failed' | 'no-target';
  message: string;
  preview?: UpdatePreview;
  left?: vscode.Uri;
  right?: vscode.Uri;
}

export const PREVIEW_SCHEME = 'clerk-preview';

/**
 * "Preview changes": a diff editor with the user's current editable fields on the left and, on
 * the right, what they will be after the send, computed locally with the API's semantics.
 * Secrets are shown as "(will be set)". The diff's title bar can send the source file.
 */
export class PreviewController implements vscode.Disposable {
  readonly documents = new ReadonlyDocuments(PREVIEW_SCHEME);
  private readonly sources = new Map<string, vscode.Uri>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(
    PREVIEW_SCHEME,
    this.documents,
  );

  constructor(
    private readonly diagnostics: DiagnosticsController,
    private readonly clients: ClientFactory,
    /** Keeps the user read, as the document's last known user. */
    private readonly remember?: (document: vscode.Uri, user: ClerkUser, environment: string) => void,
  ) {}

  /** The *.userupdate.json a preview document was made from. */
  sourceOf(uri: vscode.Uri): vscode.Uri | undefined {
    return this.sources.get(uri.toString());
  }

  async preview(uri?: vscode.Uri): Promise<PreviewResult> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target)
      return this.tell({ status: 'blocked', message: 'Open a *.userupdate.json file to preview it.' });
    if (!vscode.workspace.isTrusted) {
      return this.tell({
        status: 'blocked',
        message: 'Previewing reads the user from Clerk, which is disabled in an untrusted workspace.',
      });
    }
    const document = await vscode.workspace.openTextDocument(target);
    if (!isUserUpdateDocument(document))
      return this.tell({ status: 'blocked', message: 'Only *.userupdate.json files can be previewed.' });
    const analysis = this.diagnostics.analysis(document);
    const syntax = analysis.diagnostics.find((d) => d.owner === 'syntax' && d.severity === 'error');
    if (syntax || !analysis.root) {
      return this.tell({
        status: 'blocked',
        message: `Fix the JSON first: ${syntax ? describeDiagnostic(syntax) : 'the file must hold an object'}.`,
      });
    }
    const made = await this.clients.forActive(analysis.apiVersion);
    if (!made.ok) return this.tell({ status: 'failed', message: made.message });
    const userId =
      analysis.userId ??
      (await pickUser(made.client, undefined, 'Preview the change for which Clerk user?'))?.id;
    if (!userId)
      return this.tell({ status: 'no-target', message: 'No target user was chosen ($user_id is missing).' });

    const read = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Reading ${userId} from Clerk…` },
      () => made.client.getUser(userId),
    );
    if (!read.ok) return this.tell({ status: 'failed', message: read.message });
    this.remember?.(document.uri, read.data, made.environment.name);
    const preview = previewUpdate(
      read.data,
      payloadValue(analysis.root),
      analysis.apiVersion,
      analysis.metadataMode,
    );
    const left = this.documents.put(`${userId}.current.json`, preview.beforeText);
    const right = this.documents.put(`${userId}.after-send.json`, preview.afterText);
    this.sources.set(left.toString(), document.uri);
    this.sources.set(right.toString(), document.uri);
    const changed = preview.changes.filter((c) => c.change !== 'unchanged' && c.change !== 'option').length;
    await vscode.commands.executeCommand(
      'vscode.diff',
      left,
      right,
      `${userId}: current ↔ after send (${changed} field${changed === 1 ? '' : 's'} change)`,
      { preview: true },
    );
    return { status: 'shown', message: `Preview of ${userId}`, preview, left, right };
  }

  private tell(result: PreviewResult): PreviewResult {
    void (result.status === 'failed'
      ? vscode.window.showErrorMessage(result.message)
      : vscode.window.showWarningMessage(result.message));
    return result;
  }

  dispose(): void {
    this.registration.dispose();
    this.documents.dispose();
    this.sources.clear();
  }
}
