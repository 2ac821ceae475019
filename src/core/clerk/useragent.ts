import { version } from '../../../package.json';

/** The extension's version, from package.json. */
export const EXTENSION_VERSION: string = version;

/**
 * The `User-Agent` sent to Clerk, naming the extension and its version, e.g.
 * `clerk-user-update/0.1.0 (cli; node v20.20.2)` or `clerk-user-update/0.1.0 (vscode 1.100.0)`.
 */
export function userAgent(surface: string): string {
  return `clerk-user-update/${EXTENSION_VERSION} (${surface})`;
}
