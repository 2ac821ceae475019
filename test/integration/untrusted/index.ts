// The suite that runs in a workspace opened untrusted (Restricted Mode): scripts/run-integration.mjs
// starts a second host with Workspace Trust on for it. Its files end with `.untrusted.js`, so the
// main suite (`*.test.js`) never runs them.
import { findTests, runFiles } from '..';

export function run(): Promise<void> {
  return runFiles(findTests(__dirname, '.untrusted.js'));
}
