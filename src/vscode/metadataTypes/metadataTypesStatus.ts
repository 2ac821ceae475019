import * as vscode from 'vscode';
import { INTERFACE_OF, METADATA_FIELDS } from '../../core/metadataTypes/model';
import { CommandIds } from '../ids';
import type { WorkspaceMetadataTypes } from './workspaceTypes';

/** What "Show Metadata Types" did: returned by the command, so tests can see it. */
export interface ShowMetadataTypesResult {
  status: 'opened' | 'none';
  files: string[];
}

/**
 * A status bar item while metadata types are in force: which interfaces, from which files (tooltip);
 * clicking it runs "Clerk: Show Metadata Types", which opens the declarations.
 */
export class MetadataTypesStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'clerkUserUpdate.metadataTypes',
    vscode.StatusBarAlignment.Right,
    99,
  );
  private readonly subscription: vscode.Disposable;

  constructor(private readonly types: WorkspaceMetadataTypes) {
    this.item.name = 'Clerk Metadata Types';
    this.item.command = CommandIds.showMetadataTypes;
    this.subscription = types.onDidChange(() => this.update());
    this.update();
  }

  /** The tooltip's text (also what tests read). */
  describe(): string | undefined {
    const lines: string[] = [];
    for (const { folder, types, error } of this.types.all()) {
      const prefix = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}: ` : '';
      if (error) lines.push(`${prefix}${error}`);
      if (!types) continue;
      const declared = METADATA_FIELDS.filter((f) => types.fields[f]).map((f) => INTERFACE_OF[f]);
      const files = [...new Set(types.sources.map((s) => s.file))];
      lines.push(`${prefix}metadata is checked against ${declared.join(', ')} from ${files.join(', ')}`);
    }
    return lines.length > 0 ? lines.join('\n') : undefined;
  }

  private update(): void {
    const text = this.describe();
    if (!text) {
      this.item.hide();
      return;
    }
    const failed = this.types.all().some((f) => f.error);
    this.item.text = failed ? '$(warning) Metadata types' : '$(symbol-interface) Metadata types';
    this.item.tooltip = `Clerk: ${text}\nClick to open the declarations.`;
    this.item.show();
  }

  /** Opens the declarations in force: the file (at the interface) when there is one, else a pick of them. */
  async show(): Promise<ShowMetadataTypesResult> {
    await this.types.ready();
    const places: { label: string; uri: vscode.Uri; line: number }[] = [];
    for (const { folder, types } of this.types.all()) {
      for (const source of types?.sources ?? []) {
        const absolute = /^([a-zA-Z]:[\\/]|\/)/.test(source.file);
        const uri = absolute ? vscode.Uri.file(source.file) : vscode.Uri.joinPath(folder.uri, source.file);
        if (places.some((p) => p.uri.toString() === uri.toString())) continue;
        places.push({ label: source.file, uri, line: source.line });
      }
    }
    if (places.length === 0) {
      void vscode.window.showInformationMessage(
        'No metadata types are declared: add a types/globals.d.ts that declares UserPublicMetadata in declare ' +
          'global, or set clerkUserUpdate.metadataTypes.',
      );
      return { status: 'none', files: [] };
    }
    const placeHolder = 'Open the metadata declarations in';
    const chosen =
      places.length === 1 ? places[0] : await vscode.window.showQuickPick(places, { placeHolder });
    if (chosen) {
      const position = new vscode.Position(chosen.line, 0);
      await vscode.window.showTextDocument(chosen.uri, { selection: new vscode.Range(position, position) });
    }
    return { status: 'opened', files: places.map((p) => p.label) };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
