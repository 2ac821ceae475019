// A bulk run in a process of its own, for the test that kills it (SIGKILL) mid-run:
//   node out/test/support/bulk-child.js <fake url> <journal path> <rows>
// Rows N (1…rows) set first_name 'Killed N' on user_bN. Prints 'started' once the run begins.
import { runBulk } from '../../src/core/bulk/run/run';
import type { BulkRow } from '../../src/core/bulk/format/types';
import { ClerkClient } from '../../src/core/clerk/client';
import { FAKE_TEST_KEY } from '../../src/fake/server';
import { JournalFile } from '../../src/node/journalFile';

export function killRows(count: number): BulkRow[] {
  return Array.from({ length: count }, (_, i) => ({
    row: i + 1,
    target: { kind: 'user_id' as const, value: `user_b${i}` },
    text: JSON.stringify({ $user_id: `user_b${i}`, first_name: `Killed ${i + 1}`, public_metadata: { run: i + 1 } }),
  }));
}

if (require.main === module) {
  const [url, journal, rows] = process.argv.slice(2);
  const all = killRows(Number(rows));
  void runBulk(
    {
      input: {
        async *rows() {
          for (let i = 0; i < all.length; i += 5) yield all.slice(i, i + 5);
        },
      },
      inputHash: 'kill-test',
      inputName: 'kill.userupdates.jsonl',
      journal: new JournalFile(journal),
      connect: async (apiVersion) => ({
        ok: true,
        client: new ClerkClient({ apiUrl: url, secretKey: FAKE_TEST_KEY, apiVersion, userAgent: 'kill-test' }),
        instance: { name: 'Fake', apiUrl: url, production: false },
        secrets: [FAKE_TEST_KEY],
      }),
      defaultApiVersion: '2026-05-12',
      rate: { limit: 100_000, windowMs: 1000 },
      maxConcurrency: 4,
      batchSize: 10,
    },
    { confirm: async () => true },
  ).then((result) => process.stdout.write(`${result.status}\n`));
}
