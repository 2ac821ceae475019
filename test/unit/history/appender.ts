// A second "window": appends entries to a history folder when told to (test/unit/history/store.test.ts).
import { HistoryFiles } from '../../../src/node/historyFiles';
import { environmentKey, HistoryStore } from '../../../src/core/history/store';
import { entry } from './helpers';

const [folder, name, count, mode] = process.argv.slice(2);
const files = new HistoryFiles(folder);
const store = new HistoryStore(files, () => 1_000_000);

process.on('message', (message) => {
  if (message !== 'go') return;
  void (async () => {
    for (let i = 0; i < Number(count); i++) {
      if (mode === 'compact') {
        await store.compact(environmentKey(entry().environment), 1_000_000);
      } else {
        await store.append(entry({ id: `${name}_${i}` }));
      }
    }
    process.send?.('done');
    process.disconnect();
  })();
});
process.send?.('ready');
