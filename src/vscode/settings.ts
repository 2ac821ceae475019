import * as vscode from 'vscode';
import { DEFAULT_API_URL } from '../core/clerk/url';
import { type ApiVersion, DEFAULT_API_VERSION, isApiVersion } from '../core/versions';
import { SettingIds } from './ids';
import { DEFAULT_MAX_ENTRIES } from '../core/history/store';

/** The only module that reads or writes configuration: everything else gets plain values. */

export interface EnvironmentSetting {
  name: string;
  apiUrl: string;
}

/** The application-scoped settings, read once into a plain object and passed to whoever needs them. */
export interface Settings {
  validationDelayMs: number;
  requestTimeoutMs: number;
  maxRateLimitRetries: number;
  environments: EnvironmentSetting[];
  /** `clerkUserUpdate.bulk.allowSecrets`: secrets in bulk files are not an error. */
  bulkAllowSecrets: boolean;
  /**
   * `clerkUserUpdate.bulk.rate` as written ("500/10s"; parsed where it is used), or "" for the instance's
   * documented limit.
   */
  bulkRate: string;
  /**
   * `clerkUserUpdate.bulk.maxWaitSeconds`: the longest wait a 429 may ask of a run or an undo (a longer one
   * stops it).
   */
  bulkMaxWaitSeconds: number;
  /** `clerkUserUpdate.history.maxEntries`: changes kept per environment (oldest dropped). */
  historyMaxEntries: number;
  /** `clerkUserUpdate.export.metadataColumns`: a CSV export has a column per metadata key path. */
  exportMetadataColumns: boolean;
}

/** The last segment of a setting id, as `getConfiguration(section).get()` takes it. */
function key(id: string): string {
  return id.slice(SettingIds.section.length + 1);
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SettingIds.section);
  return {
    validationDelayMs: clampNumber(config.get<number>(key(SettingIds.validationDelayMs)), 0, 5000, 150),
    requestTimeoutMs:
      clampNumber(config.get<number>(key(SettingIds.requestTimeoutSeconds)), 1, 600, 30) * 1000,
    maxRateLimitRetries: clampNumber(config.get<number>(key(SettingIds.maxRateLimitRetries)), 0, 10, 3),
    environments: normalizeEnvironments(config.get<unknown>(key(SettingIds.environments))),
    bulkAllowSecrets: config.get<unknown>(key(SettingIds.bulkAllowSecrets)) === true,
    bulkRate: config.get<string>(key(SettingIds.bulkRate)) ?? '',
    bulkMaxWaitSeconds: Math.round(
      clampNumber(config.get<number>(key(SettingIds.bulkMaxWaitSeconds)), 0, 3600, 60),
    ),
    historyMaxEntries: Math.round(
      clampNumber(config.get<number>(key(SettingIds.historyMaxEntries)), 1, 1_000_000, DEFAULT_MAX_ENTRIES),
    ),
    exportMetadataColumns: config.get<unknown>(key(SettingIds.exportMetadataColumns)) === true,
  };
}

/**
 * `clerkUserUpdate.apiVersion` is resource-scoped: a folder may set its own. Read per document
 * (by its URI), cached until the configuration changes.
 */
export class ApiVersionSetting {
  private readonly cache = new Map<string, ApiVersion>();

  for(scope: vscode.Uri | undefined): ApiVersion {
    const folder = scope ? vscode.workspace.getWorkspaceFolder(scope)?.uri.toString() : undefined;
    const cacheKey = folder ?? scope?.toString() ?? '';
    let version = this.cache.get(cacheKey);
    if (version === undefined) {
      const value = vscode.workspace
        .getConfiguration(SettingIds.section, scope)
        .get<string>(key(SettingIds.apiVersion));
      version = isApiVersion(value) ? value : DEFAULT_API_VERSION;
      this.cache.set(cacheKey, version);
    }
    return version;
  }

  /** Call when the configuration changed. */
  clear(): void {
    this.cache.clear();
  }
}

/**
 * `clerkUserUpdate.metadataTypes` of a workspace folder (resource-scoped): the file named, or '' to discover.
 */
export function metadataTypesSetting(folder: vscode.Uri): string {
  const value = vscode.workspace
    .getConfiguration(SettingIds.section, folder)
    .get<unknown>(key(SettingIds.metadataTypes));
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Adds or replaces an environment in the user's settings (never the workspace's, which cannot redirect a
 * key).
 */
export async function upsertEnvironment(
  environment: EnvironmentSetting,
  fallback: readonly EnvironmentSetting[],
): Promise<void> {
  const config = vscode.workspace.getConfiguration(SettingIds.section);
  const current = (
    config.inspect<EnvironmentSetting[]>(key(SettingIds.environments))?.globalValue ?? fallback
  ).filter((e) => e.name !== environment.name);
  await config.update(
    key(SettingIds.environments),
    [...current, environment],
    vscode.ConfigurationTarget.Global,
  );
}

function clampNumber(value: number | undefined, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

function normalizeEnvironments(value: unknown): EnvironmentSetting[] {
  const result: EnvironmentSetting[] = [];
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (entry && typeof entry === 'object') {
        const { name, apiUrl } = entry as Record<string, unknown>;
        if (typeof name === 'string' && name.trim() && !result.some((e) => e.name === name.trim())) {
          result.push({
            name: name.trim(),
            apiUrl: typeof apiUrl === 'string' && apiUrl.trim() ? apiUrl.trim() : DEFAULT_API_URL,
          });
        }
      }
    }
  }
  if (result.length === 0) result.push({ name: 'Default', apiUrl: DEFAULT_API_URL });
  return result;
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SettingIds.section);
}
