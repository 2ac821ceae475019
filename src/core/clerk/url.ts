/** Clerk's Backend API. */
export const DEFAULT_API_URL = 'https://api.clerk.com';

export type ApiUrlCheck =
  | { ok: true; /** Normalized: no trailing slash, no query or fragment. */ url: string; loopback: boolean }
  | { ok: false; message: string };

/** True for loopback hosts: `localhost` (and `*.localhost`), 127.0.0.0/8 and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255);
  const mapped = /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(host);
  return mapped !== null;
}

/**
 * Check the API URL a key is sent to. `https://` is required, except for loopback hosts
 * (`http://127.0.0.1:…`, `http://localhost:…`, `http://[::1]:…`), which tests and the demo use.
 * URLs with credentials, a query or a fragment are refused. Messages never contain credentials.
 */
export function checkApiUrl(raw: string | undefined | null): ApiUrlCheck {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, message: 'The Clerk API URL is empty. Use https://api.clerk.com.' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      message: `The Clerk API URL "${safeText(text)}" is not a valid URL. Use https://api.clerk.com.`,
    };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'The Clerk API URL must not contain a user name or password.' };
  }
  const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  if (url.search || url.hash) {
    return { ok: false, message: `The Clerk API URL ${shown} must not have a query or fragment.` };
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    if (url.protocol === 'http:') {
      return {
        ok: false,
        message: `The Clerk API URL ${shown} uses http://. Secret keys are only sent over https://, except to a loopback host (localhost, 127.0.0.1, ::1).`,
      };
    }
    return { ok: false, message: `The Clerk API URL ${shown} must use https://.` };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.protocol}//${url.host}${path}`, loopback };
}

function safeText(text: string): string {
  const clipped = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  // A pasted key in the URL field must not be echoed back.
  return clipped.replace(/sk_(test|live)_\S*/g, 'sk_$1_…');
}
