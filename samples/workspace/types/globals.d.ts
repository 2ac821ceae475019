// The app's own metadata types, as Clerk's guide "Override Clerk interfaces with custom types" writes them.
// Clerk User Update reads these (no TypeScript needed) and checks every metadata value against them.
export {}

type Plan = 'free' | 'pro' | 'enterprise'

declare global {
  interface UserPublicMetadata {
    /** The user's role in the app: what they may see and change. */
    role?: 'owner' | 'admin' | 'member'
    /** The billing plan; 'enterprise' unlocks SSO. */
    plan?: Plan
    /** The team the user belongs to (a slug). */
    team?: string
    /** Seats the user's subscription pays for. */
    seats?: number
    onboarding?: { completed: boolean; step?: number }
  }
  interface UserPrivateMetadata {
    crm?: {
      tier: 'silver' | 'gold' | 'platinum'
      /** The year the customer signed up. */
      since: number
    }
  }
}
