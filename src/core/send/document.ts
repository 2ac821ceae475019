import type { Analysis } from '../analyze';
import type { RateLimitPolicy } from '../clerk/ratelimit';
import { type PlannedRequest, planRequests } from '../payload/plan';
import { payloadValue } from '../payload/value';
import { secretValuesOf } from '../redact';
import type { ApiVersion } from '../versions';
import { gate } from './gate';
import type { Connection } from '../clerk/instance';
import type { SendPorts } from './ports';
import type { SendReport } from './result';
import { type PlannedSend, sendPlanned } from './send';
import type { UserQueue } from './userQueue';

/** A `*.userupdate.json` to send, with what its adapter knows. */
export interface DocumentSend {
  /** The exact text to send: the one `analysis` was made of (unsaved edits included). */
  text: string;
  analysis: Analysis;
  /** Overrides `$user_id` (the CLI's `--user-id`). */
  userId?: string;
  /** Warnings found outside the core pipeline ("line N: …"), asked about with the document's own. */
  extraWarnings?: readonly string[];
  connect(apiVersion: ApiVersion): Promise<Connection>;
  /** Sends to the same user on the same instance run one after the other when given. */
  queue?: UserQueue;
  /** Read the user before sending (the editor does, for undo). */
  readUser?: boolean;
  productionConfirmed?: boolean;
  rateLimit?: Partial<RateLimitPolicy>;
}

/**
 * `sendDocument`'s report, or `unavailable` when `connect` gave no client (`problem` is the
 * adapter's reason; `userId` and `plan` say what would have been sent).
 */
export type DocumentReport =
  | SendReport
  | { status: 'unavailable'; problem: string; message: string; userId?: string; plan?: PlannedRequest[] };

/** A document that passed the gate and has a target and a plan: what `sendPlanned` takes. */
export type PreparedSend = PlannedSend & { ready: true };

/**
 * Everything before the requests: the validation gate, warnings asked once, the target
 * (`$user_id`, the override, or a picked user), the plan and the connection. The CLI's dry run
 * stops here.
 */
export async function prepareDocument(
  doc: DocumentSend,
  ports: SendPorts,
): Promise<PreparedSend | DocumentReport> {
  const checked = gate(doc.analysis, doc.extraWarnings);
  if (!checked.ok) return { status: 'blocked', message: checked.message, errors: checked.errors };
  if (
    checked.warnings.length > 0 &&
    !(await ports.confirm({ kind: 'warnings', warnings: checked.warnings }))
  ) {
    return { status: 'declined', declined: 'warnings', message: 'Not sent: the warnings were not accepted.' };
  }
  let connection: Connection | undefined;
  let userId = doc.userId ?? doc.analysis.userId;
  if (!userId && ports.pickUser) {
    connection = await doc.connect(doc.analysis.apiVersion);
    if (!connection.ok)
      return { status: 'unavailable', problem: connection.problem, message: connection.message };
    userId = (await ports.pickUser(connection.client, ports.signal))?.id;
  }
  if (!userId)
    return { status: 'no-target', message: 'Not sent: no target user was chosen ($user_id is missing).' };

  const plan = planRequests(doc.text, checked.root, userId, doc.analysis.apiVersion);
  if (plan.length === 0)
    return {
      status: 'nothing',
      message: 'Nothing to send: the file has no fields besides its $ keys.',
      userId,
    };
  connection ??= await doc.connect(doc.analysis.apiVersion);
  if (!connection.ok)
    return { status: 'unavailable', problem: connection.problem, message: connection.message, userId, plan };
  const secrets = [...(connection.secrets ?? []), ...secretValuesOf(payloadValue(checked.root))];
  const { readUser, productionConfirmed, rateLimit } = doc;
  return {
    ready: true,
    client: connection.client,
    instance: connection.instance,
    userId,
    plan,
    readUser,
    productionConfirmed,
    rateLimit,
    secrets,
  };
}

/**
 * The send of a document, the same in the editor and the CLI: `prepareDocument`, then
 * `sendPlanned` (one after the other per user and instance when a queue is given).
 */
export async function sendDocument(doc: DocumentSend, ports: SendPorts): Promise<DocumentReport> {
  const prepared = await prepareDocument(doc, ports);
  if (!('ready' in prepared)) return prepared;
  const job = () => sendPlanned(prepared, ports);
  return doc.queue ? doc.queue.run(`${prepared.instance.apiUrl}|${prepared.userId}`, job) : job();
}
