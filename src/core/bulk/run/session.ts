import type { Result } from '../../result';
import type { Instance } from '../../clerk/instance';
import type { ApiVersion } from '../../versions';
import { JOURNAL_FORMAT, JOURNAL_VERSION, type JournalHeader, encodeHeader } from '../journal/marks';
import { JournalIndex, type JournalStore, loadJournal } from '../journal/journalIndex';
import { JournalWriter } from '../journal/journalWriter';
import { errorMessage } from '../../text/format';

/** What a run or an undo expects of its journal. */
export interface JournalExpectation {
  kind: JournalHeader['kind'];
  input: string;
  inputHash: string;
}

export interface OpenedJournal {
  index: JournalIndex;
  /** The header of the journal being resumed (undefined: a new journal begins). */
  header: JournalHeader | undefined;
  /** Where a restart moved the old journal. */
  movedAside?: string;
  /** Bytes of a torn last line that were cut off. */
  tornBytes: number;
  /** Why the journal was not used (a dry run of another input): said in the plan. */
  note?: string;
}

/**
 * Open a journal to resume it, or begin a new one: refused when it belongs to another input
 * (changed since it began) or is damaged, unless `restart` (then it is moved aside, never
 * deleted). A dry run never writes: it ignores a journal it cannot use, and cuts nothing off.
 */
export async function openJournal(
  store: JournalStore,
  expect: JournalExpectation,
  mode: { restart?: boolean; dryRun?: boolean },
): Promise<Result<OpenedJournal>> {
  const loaded = await loadJournal(store, !mode.dryRun);
  const fresh = async (note?: string): Promise<Result<OpenedJournal>> => {
    if (mode.dryRun) return { ok: true, index: new JournalIndex(), header: undefined, tornBytes: 0, note };
    return {
      ok: true,
      index: new JournalIndex(),
      header: undefined,
      tornBytes: 0,
      movedAside: await store.moveAside(),
    };
  };
  if (loaded.status === 'none')
    return { ok: true, index: new JournalIndex(), header: undefined, tornBytes: 0 };
  if (loaded.status === 'corrupt') {
    if (mode.restart || mode.dryRun) return fresh(loaded.message);
    return { ok: false, message: loaded.message };
  }
  const { header } = loaded;
  if (header.kind !== expect.kind || header.input_sha256 !== expect.inputHash) {
    const what =
      header.kind !== expect.kind
        ? `is the journal of ${header.kind === 'undo' ? 'an undo' : 'a run'}, not of this ${expect.kind}`
        : header.input !== expect.input
          ? `belongs to ${header.input}, not to ${expect.input}`
          : `belongs to ${header.input} as it was when the run began (${header.started_at}); the file has changed since`;
    const message = `${store.name} ${what}. Resuming would apply a different file: start again with --restart (the old journal is kept aside).`;
    if (mode.restart || mode.dryRun) return fresh(message);
    return { ok: false, message };
  }
  if (mode.restart) return fresh();
  return { ok: true, index: loaded.index, header, tornBytes: loaded.tornBytes };
}

/**
 * Refused when a resumed journal was written against another instance: another URL, another kind
 * of key, or another key (every instance shares one API URL, so only the key tells two apart).
 * A journal without a key fingerprint (written before they were kept) is checked by URL and kind.
 */
export function checkInstance(
  header: JournalHeader | undefined,
  instance: Instance,
  store: JournalStore,
  keyFingerprint?: string,
  restartable = true,
): string | undefined {
  if (!header) return undefined;
  const way = restartable ? ', or start again with --restart' : '';
  if (header.api_url === instance.apiUrl && header.production === instance.production) {
    const known = header.key_sha256 !== undefined && keyFingerprint !== undefined;
    if (!known || header.key_sha256 === keyFingerprint) return undefined;
    return (
      `${store.name} was begun with another key (of another instance, or a key since rolled); ` +
      `this one could apply its rows to the wrong users. Use the key the run began with${way}.`
    );
  }
  const was = `${header.api_url} with a ${header.production ? 'production (sk_live_)' : 'development (sk_test_)'} key`;
  return `${store.name} was begun against ${was}; this run goes to ${instance.apiUrl} with a ${instance.production ? 'production' : 'development'} key. Use the same instance${restartable ? ' to resume' : ''}${way}.`;
}

/**
 * A writer on the journal, with its header written first when the journal is new (or why it could not be
 * written).
 */
export async function beginJournal(
  store: JournalStore,
  opened: OpenedJournal,
  expect: JournalExpectation,
  instance: Instance,
  apiVersion: ApiVersion,
  startedAt: Date,
  keyFingerprint?: string,
): Promise<Result<{ writer: JournalWriter }>> {
  const writer = new JournalWriter(store, opened.index);
  if (!opened.header) {
    const header: JournalHeader = {
      journal: JOURNAL_FORMAT,
      version: JOURNAL_VERSION,
      kind: expect.kind,
      input: expect.input,
      input_sha256: expect.inputHash,
      api_url: instance.apiUrl,
      instance: instance.name,
      production: instance.production,
      api_version: apiVersion,
      started_at: startedAt.toISOString(),
      ...(keyFingerprint ? { key_sha256: keyFingerprint } : {}),
    };
    try {
      await writer.writeLine(encodeHeader(header));
    } catch (error) {
      return {
        ok: false,
        message: `The journal ${store.name} could not be written (${errorMessage(error)}); nothing was sent.`,
      };
    }
    opened.header = header;
  }
  return { ok: true, writer };
}
