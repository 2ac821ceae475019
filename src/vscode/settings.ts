import * as vscode from 'vscode';
import { DEFAULT_API_URL } from '../core/clerk/url';
import { type ApiVersion, DEFAULT_API_VERSION, isApiVersion } from '../core/versions';

export const SECTION = 'clerkUserUpdate';

export interface EnvironmentSetting {
  name: string;
  apiUrl: string;
}

/** Settings read once into a plain object and passed to whoever needs them. */
export interface Settings {
  apiVersion: ApiVersion;
  validationDelayMs: number;
  requestTimeoutMs: number;
  maxRateLimitRetries: number;
  environments: EnvironmentSetting[];
}


export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const apiVersion = config.get<string>('apiVersion');
  const environments = config.get<unknown>('environments');
  return {
    apiVersion: isApiVersion(apiVersion) ? apiVersion : DEFAULT_API_VERSION,
    validationDelayMs: clampNumber(config.get<number>('validationDelayMs'), 0, 5000, 150),
    requestTimeoutMs: clampNumber(config.get<number>('requestTimeoutSeconds'), 1, 600, 30) * 1000,
    maxRateLimitRetries: clampNumber(config.get<number>('maxRateLimitRetries'), 0, 10, 3),
    environments: normalizeEnvironments(environments),
  };
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
          result.push({ name: name.trim(), apiUrl: typeof apiUrl === 'string' && apiUrl.trim() ? apiUrl.trim() : DEFAULT_API_URL });
        }
      }
    }
  }
  if (result.length === 0) result.push({ name: 'Default', apiUrl: DEFAULT_API_URL });
  return result;
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
