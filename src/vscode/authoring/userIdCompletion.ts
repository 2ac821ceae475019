import * as vscode from 'vscode';
import type { ClerkUser } from '../../core/clerk/types';
import type { ApiVersion } from '../../core/versions';
import type { ClientFactory } from '../environments/clients';
import { DIAGNOSTIC_SOURCE } from '../convert';
import type { DiagnosticsController } from './diagnostics';
import { isUserUpdateDocument } from '../documents';
import { propertyValueAt, rootProperties } from '../../core/parse/rootProperties';
import type { UserCache } from '../users/userCache';

/** The primary_*_id fields and the identifiers of the user they choose from. */
const ID_FIELDS = {
  primary_email_address_id: {
    list: (u: ClerkUser) =>
      u.email_addresses.map((e) => ({ id: e.id, label: e.email_address, status: e.verification?.status })),
    what: 'email address',
    plural: 'email addresses',
  },
  primary_phone_number_id: {
    list: (u: ClerkUser) =>
      u.phone_numbers.map((p) => ({ id: p.id, label: p.phone_number, status: p.verification?.status })),
    what: 'phone number',
    plural: 'phone numbers',
  },
  primary_web3_wallet_id: {
    list: (u: ClerkUser) =>
      u.web3_wallets.map((w) => ({ id: w.id, label: w.web3_wallet, status: w.verification?.status })),
    what: 'web3 wallet',
    plural: 'web3 wallets',
  },
} as const;
type IdField = keyof typeof ID_FIELDS;
const isIdField = (key: unknown): key is IdField => typeof key === 'string' && key in ID_FIELDS;

export const IDENTIFIER_CODES = {
  unverified: 'identifier-unverified',
  notOwned: 'identifier-not-owned',
} as const;

/**
 * Completion of the target user's identifiers in primary_*_id values, labelled with the address
 * and whether it is verified; and a warning when the chosen one is unverified or not the user's.
 * The user is fetched once and cached briefly. Nothing is fetched in an untrusted workspace.
 */
export class IdentifierAssist implements vscode.CompletionItemProvider, vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('clerk-user-update-identifiers');
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly diagnostics: DiagnosticsController,
    private readonly clients: ClientFactory,
    private readonly users: UserCache,
  ) {
    this.subscriptions = [
      this.collection,
      diagnostics.onDidAnalyze((uri) => {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (document) void this.check(document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    ];
  }

  private async userFor(
    document: vscode.TextDocument,
  ): Promise<{ user: ClerkUser | undefined; apiVersion: ApiVersion } | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const analysis = this.diagnostics.analysis(document);
    if (!analysis.userId) return undefined;
    const made = await this.clients.forActive(analysis.apiVersion);
    if (!made.ok) return undefined;
    return { user: await this.users.get(made.client, analysis.userId), apiVersion: analysis.apiVersion };
  }

  async provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.CompletionItem[] | undefined> {
    const property = propertyValueAt(this.diagnostics.analysis(document).root, document.offsetAt(position));
    const field = property?.key;
    if (!property || !isIdField(field)) return undefined;
    const found = await this.userFor(document);
    if (!found?.user) return undefined;
    const node = property.value;
    const replace =
      node && node.type === 'string'
        ? new vscode.Range(document.positionAt(node.offset), document.positionAt(node.offset + node.length))
        : undefined;
    return ID_FIELDS[field].list(found.user).map((identifier, index) => {
      const verified = identifier.status === 'verified';
      const item = new vscode.CompletionItem(
        {
          label: identifier.id,
          description: `${identifier.label} · ${verified ? 'verified' : 'not verified'}`,
        },
        vscode.CompletionItemKind.Value,
      );
      item.insertText = JSON.stringify(identifier.id);
      item.filterText = JSON.stringify(identifier.id);
      item.range = replace;
      item.detail = `${identifier.label} (${verified ? 'verified' : 'not verified'})`;
      item.documentation = verified
        ? undefined
        : new vscode.MarkdownString(`Clerk only accepts a **verified** ${ID_FIELDS[field].what} as primary.`);
      item.sortText = `${verified ? 0 : 1}${String(index).padStart(3, '0')}`;
      return item;
    });
  }

  /** Publishes warnings for primary_*_id values that are unverified or not the user's. */
  async check(document: vscode.TextDocument): Promise<void> {
    if (!isUserUpdateDocument(document)) return;
    const version = document.version;
    const root = this.diagnostics.analysis(document).root;
    const chosen: { field: IdField; id: string; range: vscode.Range }[] = [];
    for (const { key, value } of rootProperties(root)) {
      if (isIdField(key) && value?.type === 'string') {
        chosen.push({
          field: key,
          id: value.value,
          range: new vscode.Range(
            document.positionAt(value.offset),
            document.positionAt(value.offset + value.length),
          ),
        });
      }
    }
    if (chosen.length === 0) {
      this.collection.delete(document.uri);
      return;
    }
    const found = await this.userFor(document);
    if (document.isClosed || document.version !== version) return;
    if (!found?.user) {
      this.collection.delete(document.uri);
      return;
    }
    const user = found.user;
    const warnings: vscode.Diagnostic[] = [];
    for (const { field, id, range } of chosen) {
      const identifier = ID_FIELDS[field].list(user).find((i) => i.id === id);
      const what = ID_FIELDS[field].what;
      let message: string | undefined;
      let code: string | undefined;
      if (!identifier) {
        message = `${id} is not one of ${user.id}'s ${ID_FIELDS[field].plural}; Clerk will refuse it as ${field}.`;
        code = IDENTIFIER_CODES.notOwned;
      } else if (identifier.status !== 'verified') {
        message = `${id} (${identifier.label}) is not verified; Clerk only accepts a verified ${what} as ${field}.`;
        code = IDENTIFIER_CODES.unverified;
      }
      if (message && code) {
        const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Warning);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = code;
        warnings.push(diagnostic);
      }
    }
    this.collection.set(document.uri, warnings);
  }

  /** The identifier warnings currently shown for a document (the send asks about them like any warning). */
  warningsFor(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
