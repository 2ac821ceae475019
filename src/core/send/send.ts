import type { ClerkClient } from '../clerk/client';
import { type RateLimitPolicy } from '../clerk/ratelimit';
import { sendPlan } from '../clerk/send';
import { type ClerkUser, userDisplayName } from '../clerk/types';
import type { PlannedRequest } from '../payload/plan';
import { redactSecrets } from '../redact';
import type { Instance } from '../clerk/instance';
import type { SendPorts } from './ports';
import { needsConfirmation, productionConfirmation, type ProductionConfirmation } from './production';
import type { SendReport } from './result';

/** One send of a ready plan to one user: what the editor, the CLI, undo and the bulk runner share. */
export interface PlannedSend {
  client: ClerkClient;
  instance: Instance;
  userId: string;
  plan: PlannedRequest[];
  /** Read the user first (GET), so the report carries `before`. A failed read fails the send. */
  readUser?: boolean;
  /** The user as already read by the caller (the bulk runner reads in batches): no GET. */
  before?: ClerkUser;
  /**
   * Checked against the user read first (undo: refused when `updated_at` moved). It may send a smaller
   * `plan` instead (undo leaves alone metadata keys changed since), with a `note` for the message.
   */
  precondition?: (
    current: ClerkUser,
  ) => { ok: true; plan?: PlannedRequest[]; note?: string } | { ok: false; message: string };
  /** The production confirmation was already given for this send (CLI `--yes`, a run confirmed once). */
  productionConfirmed?: boolean;
  /** `send` or `undo`: how the production question is worded. */
  action?: ProductionConfirmation['action'];
  /** For the undo question: what it restores. */
  summary?: string;
  /** 429 handling (`maxTries` counts the first try). */
  rateLimit?: Partial<RateLimitPolicy>;
  /** Values to keep out of every message and log line (the key, secret field values). */
  secrets?: readonly string[];
}

/**
 * Read the user when needed, check the precondition, ask on production, then send the plan in
 * order (a failed step stops it; only 429s are retried, as the policy allows). Never throws.
 */
export async function sendPlanned(job: PlannedSend, ports: SendPorts): Promise<SendReport> {
  const { client, userId, instance } = job;
  let plan = job.plan;
  let note = '';
  const signal = ports.signal;
  const secrets = job.secrets ?? [];
  const redact = (text: string): string => redactSecrets(text, secrets);
  const log = (level: 'info' | 'warn' | 'error', line: string): void => ports.log?.(level, redact(line));
  const cancelled = (extra: Partial<SendReport> = {}): SendReport => {
    log('info', `Send to ${userId} cancelled by the user; any response that arrives later is dropped.`);
    return {
      status: 'cancelled',
      message:
        'Cancelled. If Clerk had already received the request, the change may still have been applied.',
      userId,
      plan,
      ...extra,
    };
  };
  const confirmProduction = needsConfirmation(instance) && !job.productionConfirmed;

  let before = job.before;
  if (!before && (job.readUser || job.precondition || confirmProduction)) {
    ports.progress?.('reading the user…');
    const read = await client.getUser(userId, { signal });
    if (signal?.aborted) return cancelled();
    if (!read.ok) return failed(job, read, undefined, log, redact);
    before = read.data;
  }
  if (job.precondition && before) {
    const check = job.precondition(before);
    if (!check.ok) return { status: 'refused', message: redact(check.message), userId, plan, before };
    if (check.plan) plan = check.plan;
    if (check.note) note = ` ${check.note}`;
  }
  if (confirmProduction && before) {
    const confirmation = productionConfirmation(
      job.action ?? 'send',
      instance,
      `${userDisplayName(before)} (${before.id})`,
      plan,
      job.summary,
    );
    const yes = await ports.confirm({ kind: 'production', confirmation });
    if (!yes)
      return {
        status: 'declined',
        declined: 'production',
        message: 'Not sent: the production send was not confirmed.',
        userId,
        plan,
        before,
      };
  }
  if (signal?.aborted) return cancelled({ before });

  const outcome = await sendPlan(client, plan, userId, {
    signal,
    rateLimit: {
      policy: job.rateLimit,
      onWait: (wait) => {
        ports.rateLimited?.(wait);
        const why = wait.fromRetryAfter ? 'Retry-After' : 'no Retry-After given';
        ports.progress?.(
          `rate limited by Clerk; retrying in ${wait.waitSeconds} s (${why}, try ${wait.nextTry} of ${wait.maxTries})…`,
        );
        log(
          'warn',
          `429 from Clerk for ${userId}; waiting ${wait.waitSeconds} s before try ${wait.nextTry} of ${wait.maxTries}`,
        );
      },
    },
    onStep: (request, index, total) =>
      ports.progress?.(`${request.method} ${request.path}${total > 1 ? ` (${index + 1} of ${total})` : ''}…`),
  });
  const statuses = outcome.steps.map((s) => `${s.request.method} ${s.result.status ?? '-'}`).join(', ');
  if (signal?.aborted) {
    if (outcome.ok)
      log(
        'warn',
        `A response from Clerk arrived after Cancel for ${userId} and was dropped (status ${outcome.steps.at(-1)?.result.status}).`,
      );
    return cancelled({ before, outcome });
  }
  if (!outcome.ok || !outcome.user)
    return failed({ ...job, plan }, outcome.failure, { before, outcome }, log, redact);

  const last = outcome.steps.at(-1)?.result;
  const traceId = last?.ok ? last.traceId : undefined;
  log(
    'info',
    `${job.action ?? 'send'} env=${instance.name} user=${userId} ${statuses} duration=${outcome.durationMs}ms trace=${traceId ?? '-'}`,
  );
  const twoSteps = plan.length > 1 ? ` (${plan.map((p) => p.method).join(' + ')})` : '';
  return {
    status: 'sent',
    message: redact(`Updated ${userDisplayName(outcome.user)} (${outcome.user.id})${twoSteps}.${note}`),
    userId,
    plan,
    before,
    user: outcome.user,
    outcome,
  };
}

function failed(
  job: PlannedSend,
  failure: SendReport['failure'],
  extra: Partial<SendReport> | undefined,
  log: (level: 'error', line: string) => void,
  redact: (text: string) => string,
): SendReport {
  const message = redact(failure?.message ?? 'The send failed.');
  const codes = (failure?.errors ?? []).map((e) => e.code).join(',') || '-';
  log(
    'error',
    `${job.action ?? 'send'} env=${job.instance.name} user=${job.userId} failed kind=${failure?.kind} status=${failure?.status ?? '-'} duration=${failure?.durationMs ?? 0}ms trace=${failure?.traceId ?? '-'} codes=${codes}: ${message}`,
  );
  const safe = failure
    ? {
        ...failure,
        message,
        errors: failure.errors.map((e) => ({
          ...e,
          message: redact(e.message),
          long_message: e.long_message === undefined ? undefined : redact(e.long_message),
        })),
      }
    : undefined;
  return {
    status: failure?.kind === 'cancelled' ? 'cancelled' : 'failed',
    message,
    userId: job.userId,
    plan: job.plan,
    failure: safe,
    ...extra,
  };
}
