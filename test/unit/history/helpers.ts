import type { HistoryEntry } from '../../../src/core/history/entry';

let counter = 0;

/** A send's entry for store tests: only the id, time and environment matter there. */
export function entry(extra: Partial<HistoryEntry> = {}): HistoryEntry {
  counter++;
  return {
    id: `h_test_${String(counter).padStart(6, '0')}`,
    time: new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + counter * 1000).toISOString(),
    kind: 'send',
    environment: { name: 'Fake', api_url: 'http://127.0.0.1:1' },
    instance: 'development',
    user_id: 'user_1',
    user_name: 'Ada Lovelace',
    email: 'ada@example.com',
    ok: true,
    status: 'sent',
    message: 'Updated Ada Lovelace (user_1).',
    fields: { first_name: { before: 'Ada', after: 'Augusta' } },
    steps: [{ method: 'PATCH', path: '/v1/users/user_1', status: 200, trace_id: 't1' }],
    source: '/w/ada.userupdate.json',
    api_version: '2025-11-10',
    updated_at: 2000,
    ...extra,
  };
}
