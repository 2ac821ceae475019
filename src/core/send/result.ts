import type { ClerkFailure } from '../clerk/errors';
import type { SendOutcome } from '../clerk/send';
import type { ClerkUser } from '../clerk/types';
import type { CoreDiagnostic } from '../diagnostics';
import type { PlannedRequest } from '../payload/plan';

/**
 * - `sent`: every planned request succeeded;
 * - `failed`: Clerk or the network failed a request (`failure` says how, and whether it may have been
 *   applied);
 * - `blocked`: errors in the document (`errors`), or no JSON object to send;
 * - `declined`: the warnings or the production confirmation were not accepted;
 * - `refused`: a precondition failed after reading the user (undo: the user changed since);
 * - `cancelled`, `no-target` (no `$user_id` and none picked), `nothing` (only `$` keys).
 */
export type SendStatus =
  'sent' | 'failed' | 'blocked' | 'declined' | 'refused' | 'cancelled' | 'no-target' | 'nothing';

/**
 * What a send ended with. `message` is a sentence for the person sending; adapters may word their own from
 * the rest.
 */
export interface SendReport {
  status: SendStatus;
  message: string;
  userId?: string;
  /** `blocked`: the errors, first one first. */
  errors?: CoreDiagnostic[];
  /** `declined`: which question was not accepted. */
  declined?: 'warnings' | 'production';
  plan?: PlannedRequest[];
  /** The user as read before sending (when it was read). */
  before?: ClerkUser;
  /** The user as Clerk returned it after the last step. */
  user?: ClerkUser;
  /** The requests sent, their results and what was skipped. */
  outcome?: SendOutcome;
  failure?: ClerkFailure;
}
