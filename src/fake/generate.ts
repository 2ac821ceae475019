// Generated users for load and bulk tests: realistic, deterministic for a seed, cheap to make
// (100,000 in well under a second), with organization memberships and some created_at ties.
import { seededRandom } from './random';
import type { FakeUserSeed } from './seed';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Edsger',
  'Radia',
  'Tim',
  'Hedy',
  'John',
  'Joan',
  'Donald',
  'Sophie',
  'Guido',
  'Anita',
  'Niklaus',
  'Mary',
  'Bjarne',
  'Shafi',
  'James',
  'Lynn',
  'Leslie',
  'Evelyn',
  'Vint',
  'Annie',
  'Yukihiro',
  'Fran',
  'Ivan',
  'Carol',
  'Whitfield',
  'Jean',
  'Brian',
  'Susan',
  'Rob',
  'Kathleen',
  'Ole',
  'Adele',
  'Anders',
  'Betty',
  'Rasmus',
  'Ida',
  'Larry',
  'Sister',
  'Martin',
  'Elena',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Berners-Lee',
  'Lamarr',
  'McCarthy',
  'Clarke',
  'Knuth',
  'Wilson',
  'van Rossum',
  'Borg',
  'Wirth',
  'Keller',
  'Stroustrup',
  'Goldwasser',
  'Gosling',
  'Conway',
  'Lamport',
  'Boyd',
  'Cerf',
  'Easley',
  'Matsumoto',
  'Bilas',
  'Sutherland',
  'Shaw',
  'Diffie',
  'Bartik',
  'Kernighan',
  'Kare',
  'Pike',
  'Booth',
  'Dahl',
  'Goldberg',
  'Hejlsberg',
  'Holberton',
  'Lerdorf',
  'Rhodes',
  'Wall',
  'Zeller',
  'Fowler',
  'Ortiz',
];
const handleOf = (name: string): string => name.toLowerCase().replace(/[^a-z]/g, '');
const FIRST_HANDLES = FIRST.map(handleOf);
const LAST_HANDLES = LAST.map(handleOf);
const DOMAINS = [
  'example.com',
  'example.org',
  'example.net',
  'mail.example.com',
  'corp.example.org',
  'students.example.edu',
];
const ROLES = ['member', 'member', 'member', 'admin', 'viewer'];
const PLANS = ['free', 'free', 'pro', 'team', 'enterprise'];
const TIERS = ['bronze', 'silver', 'gold'];
const LOCALES = [null, null, 'en-US', 'en-GB', 'fr-FR', 'de-DE', 'ja-JP', 'pt-BR'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DAY = 86_400_000;

/** How many organizations the generated users are spread over (a few large, many small). */
export const GENERATED_ORGANIZATIONS = 20;

/** The ids of the organizations `generatedSeeds(…, seed)` spreads users over, largest first. */
export function generatedOrganizationIds(seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: GENERATED_ORGANIZATIONS }, () => randomId('org', random));
}

const CODES = Array.from(BASE62, (c) => c.charCodeAt(0));
const FIVE_DIGITS = 62 ** 5;
/**
 * `prefix_` + 27 base62 characters: five characters per random number, made as one flat string
 * (concatenating characters would keep a rope of 27 pieces per id).
 */
function randomId(prefix: string, random: () => number): string {
  const codes = Array.from(`${prefix}_`, (c) => c.charCodeAt(0));
  const length = codes.length + 27;
  while (codes.length < length) {
    let r = Math.floor(random() * FIVE_DIGITS);
    for (let k = 0; k < 5 && codes.length < length; k++, r = Math.floor(r / 62)) codes.push(CODES[r % 62]);
  }
  return String.fromCharCode(...codes);
}

/**
 * `count` users, the same for the same `seed` and `now`: names and emails (unique), a username for
 * about 60%, an external id for about 40%, a phone for about 30%, metadata, 0–2 organization
 * memberships, and `created_at` spread over three years, about 5% of them equal to the previous
 * user's (imports), so ordering has ties to break. One at a time, so that none is kept longer than
 * it takes to store it.
 */
export function* generatedSeeds(count: number, seed: number, now: number): Generator<FakeUserSeed> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const id = (prefix: string): string => randomId(prefix, random);
  const organizations = Array.from({ length: GENERATED_ORGANIZATIONS }, () => id('org'));
  const tag = seed.toString(36);
  const span = 3 * 365 * DAY;
  const step = span / Math.max(1, count);
  let created = now - span;
  for (let i = 0; i < count; i++) {
    if (i === 0 || random() >= 0.05) created += Math.max(1, Math.floor(random() * 2 * step));
    const f = Math.floor(random() * FIRST.length);
    const l = Math.floor(random() * LAST.length);
    const first = FIRST[f];
    const last = LAST[l];
    const handle = `${FIRST_HANDLES[f]}.${LAST_HANDLES[l]}`;
    const userId = id('user');
    const emails: FakeUserSeed['emails'] = [
      { id: id('idn'), email: `${handle}.${tag}${i}@${pick(DOMAINS)}` },
    ];
    if (random() < 0.1)
      emails.push({
        id: id('idn'),
        email: `${handle.replace('.', '')}${i}.${tag}@work.example.com`,
        verified: false,
      });
    const memberships: string[] = [];
    const r = random();
    if (r < 0.6) memberships.push(organizations[Math.floor(random() ** 2 * GENERATED_ORGANIZATIONS)]);
    if (r < 0.15) {
      const other = organizations[Math.floor(random() * GENERATED_ORGANIZATIONS)];
      if (!memberships.includes(other)) memberships.push(other);
    }
    const updated = Math.min(now, created + Math.floor(random() * 30 * DAY));
    const signedIn = random() < 0.9 ? Math.min(now, updated + Math.floor(random() * 90 * DAY)) : null;
    yield {
      id: userId,
      first_name: first,
      last_name: last,
      username: random() < 0.6 ? `${handle.replace('.', '_')}_${tag}${i}` : null,
      external_id: random() < 0.4 ? `crm-${tag}-${100000 + i}` : null,
      locale: pick(LOCALES),
      emails,
      phones:
        random() < 0.3
          ? [
              {
                id: id('idn'),
                phone: `+1555${String(1_000_000 + i)
                  .padStart(7, '0')
                  .slice(-7)}`,
              },
            ]
          : [],
      public_metadata: { role: pick(ROLES), plan: pick(PLANS) },
      private_metadata:
        random() < 0.5 ? { crm: { tier: pick(TIERS), since: 2015 + Math.floor(random() * 10) } } : {},
      unsafe_metadata: random() < 0.2 ? { theme: random() < 0.5 ? 'dark' : 'light' } : {},
      created_at: created,
      updated_at: updated,
      last_sign_in_at: signedIn,
      last_active_at: signedIn,
      organizations: memberships,
    };
  }
}
