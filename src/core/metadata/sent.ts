import type { ClerkUser } from '../clerk/types';
import type { PlannedRequest } from '../payload/plan';
import { mergeKeyChanges } from './merge';
import { isRecord, joinPath } from './paths';

/**
 * What a plan changes, as undo and the history record it: the fields of its requests, except that a
 * metadata merge (`PATCH …/metadata`) counts as the key paths it touches (`public_metadata.role`), read
 * against the user as it was before the send.
 */
export function sentKeysOf(plan: readonly PlannedRequest[], before: ClerkUser | undefined): string[] {
  const out: string[] = [];
  for (const request of plan) {
    if (request.metadata !== 'merge') {
      out.push(...request.fields);
      continue;
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      body = undefined;
    }
    for (const field of request.fields) {
      const patch = isRecord(body) ? body[field] : undefined;
      const current = before?.[field];
      if (patch === null)
        out.push(...Object.keys(isRecord(current) ? current : {}).map((k) => joinPath([field, k])));
      else if (isRecord(patch)) out.push(...mergeKeyChanges(field, current, patch).map((k) => k.path));
      else out.push(field);
    }
  }
  return [...new Set(out)];
}
