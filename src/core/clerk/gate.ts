/**
 * A gate every request of a client passes: asked before the request leaves (it may hold it, to
 * pace a bulk run) and told the answer. Clients without a gate send at once.
 */
export interface RequestGate {
  /**
   * Resolves when the request may leave, or with undefined when it must not be sent (`signal` aborted, the
   * gate closed).
   */
  enter(request: GateRequest, signal?: AbortSignal): Promise<GatePass | undefined>;
}

export interface GateRequest {
  method: string;
  /** Path below the API URL, query included: `/v1/users/user_123`, `/v1/users?user_id=…`. */
  path: string;
}

/** Given to a request that may leave; `leave` is called once with its answer. */
export interface GatePass {
  leave(answer: GateAnswer): void;
}

export interface GateAnswer {
  /** HTTP status; undefined when no answer arrived (network error, timeout, cancel). */
  status?: number;
  /** From a 429's `Retry-After`. */
  retryAfterSeconds?: number;
  durationMs: number;
}
