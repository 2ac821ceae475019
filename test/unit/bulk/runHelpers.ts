// Shared set-up of the run engine's tests against the fake Clerk.
import { type RunOptions, type RunPorts, type RunResult, runBulk } from '../../../src/core/bulk/run/run';
import type { BulkRow } from '../../../src/core/bulk/format/types';
import type { PlanLine, ReportLine, RunPlan, RunProgress } from '../../../src/core/bulk/run/types';
import { type UndoOptions, undoRun } from '../../../src/core/bulk/run/undoRun';
import type { Confirmation } from '../../../src/core/send/ports';
import type { FakeUserSeed } from '../../../src/fake/seed';
import { MemoryJournal, connectTo, input } from '../../support/bulk';
import type { FakeClerk } from '../../support/fake-clerk';

/** Fast enough that pacing never waits in tests (the pacer has its own tests on a fake clock). */
export const TEST_RATE = { limit: 100_000, windowMs: 1000 };

/**
 * Rows in flight in a test run. At `TEST_RATE` the pacer never waits, so a run would keep its
 * most (64) in flight, in the one process that is also the fake: on a busy machine a request
 * then queued here for seconds before the fake saw it (applied at once, answered after the
 * client's 5 s timeout: rows failed "maybe applied"). A few in flight are as fast here.
 */
export const TEST_CONCURRENCY = 4;

export interface Ran {
  result: RunResult;
  journal: MemoryJournal;
  reports: ReportLine[];
  plans: PlanLine[];
  planned: RunPlan[];
  progress: RunProgress[];
  questions: Confirmation[];
  logs: string[];
}

/** Ports that record what they are told into `out`; questions are answered by `answer` (default yes). */
function recording(out: Ran, answer?: (q: Confirmation) => boolean): RunPorts {
  return {
    confirm: async (q) => {
      out.questions.push(q);
      return answer ? answer(q) : true;
    },
    progress: (p) => out.progress.push(p),
    planned: (p) => out.planned.push(p),
    plan: (l) => {
      out.plans.push(l);
    },
    report: (l) => {
      out.reports.push(l);
    },
    log: (level, line) => out.logs.push(`${level} ${line}`),
  };
}

/** `count` users `user_b0…` with external ids `ext-N`, emails `bN@example.com`, first names `BN`. */
export function seedUsers(
  fake: FakeClerk,
  count: number,
  extra: (i: number) => Partial<FakeUserSeed> = () => ({}),
): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `user_b${i}`;
    fake.addUser({
      id,
      external_id: `ext-${i}`,
      emails: [`b${i}@example.com`],
      first_name: `B${i}`,
      last_name: 'Before',
      ...extra(i),
    });
    ids.push(id);
  }
  return ids;
}

/** Run the engine on `rows` against `fake`, recording what every port was told. */
export async function run(
  fake: FakeClerk,
  rows: readonly BulkRow[],
  options: Partial<RunOptions> & {
    live?: boolean;
    answer?: (q: Confirmation) => boolean;
    journal?: MemoryJournal;
    inputHash?: string;
  } = {},
  ports: Partial<RunPorts> = {},
): Promise<Ran> {
  const journal = options.journal ?? new MemoryJournal();
  const out: Ran = {
    result: undefined as unknown as RunResult,
    journal,
    reports: [],
    plans: [],
    planned: [],
    progress: [],
    questions: [],
    logs: [],
  };
  out.result = await runBulk(
    {
      input: input(rows),
      inputHash: options.inputHash ?? 'hash-1',
      inputName: 'users.userupdates.jsonl',
      journal,
      connect: connectTo(fake, { live: options.live }),
      defaultApiVersion: '2026-05-12',
      rate: TEST_RATE,
      maxConcurrency: TEST_CONCURRENCY,
      ...options,
    },
    { ...recording(out, options.answer), ...ports },
  );
  return out;
}

/** The summary of a run that went through (fails the test otherwise). */
export function summaryOf(ran: Ran) {
  const r = ran.result;
  if (!('summary' in r)) throw new Error(`the run did not send: ${r.status}: ${r.message}`);
  return r.summary;
}

/** Undo the run journaled in `runJournal` against `fake`, recording what every port was told. */
export async function undo(
  fake: FakeClerk,
  runJournal: MemoryJournal,
  options: Partial<UndoOptions> & {
    live?: boolean;
    answer?: (q: Confirmation) => boolean;
    journal?: MemoryJournal;
    runJournalHash?: string;
  } = {},
): Promise<Ran> {
  const journal = options.journal ?? new MemoryJournal('users.userupdates.jsonl.undo.journal.jsonl');
  const out: Ran = {
    result: undefined as unknown as RunResult,
    journal,
    reports: [],
    plans: [],
    planned: [],
    progress: [],
    questions: [],
    logs: [],
  };
  out.result = await undoRun(
    {
      runJournal,
      runJournalHash: options.runJournalHash ?? 'journal-hash-1',
      runJournalName: runJournal.name,
      journal,
      connect: connectTo(fake, { live: options.live }),
      rate: TEST_RATE,
      maxConcurrency: TEST_CONCURRENCY,
      ...options,
    },
    recording(out, options.answer),
  );
  return out;
}
