/**
 * Success or failure, told apart by `ok` and nothing else: `if (!result.ok) return …`. What each
 * side carries is its own (`Result<{ user: ClerkUser }, { message: string }>`); no result is told
 * apart by which fields it happens to have.
 */
export type Result<Success extends object = object, Failure extends object = { message: string }> =
  ({ ok: true } & Success) | ({ ok: false } & Failure);
