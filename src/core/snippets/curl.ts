import type { SnippetSource } from './source';
import { secretVariable } from './source';

/** A word quoted for bash: single quotes, a single quote written as '\''. */
export function bashQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The requests as curl commands for bash, joined with `&&` as a send stops after a failed request.
 * The key is `$CLERK_SECRET_KEY`; a secret field's value is spliced in from its variable, with a
 * comment, and never copied. The body is otherwise the request's body byte for byte.
 */
export function curlSnippet(source: SnippetSource): string {
  const lines: string[] = ['# Set CLERK_SECRET_KEY to your secret key (sk_test_… or sk_live_…) first.'];
  for (const field of source.requests.flatMap((r) => r.values).filter((f) => f.secret)) {
    lines.push(
      Array.isArray(field.value)
        ? `# '${field.name}' is not copied: set ${secretVariable(field.name)} to its value as a JSON array, e.g. '["code1","code2"]'.`
        : `# '${field.name}' is not copied: set ${secretVariable(field.name)} to its value (JSON-escaped if it holds " or \\).`,
    );
  }
  const commands = source.requests.map((request) => {
    let body = '';
    let at = 0;
    for (const field of request.values.filter((f) => f.secret)) {
      const variable = `'"$${secretVariable(field.name)}"'`;
      body +=
        request.body.slice(at, field.offset).replace(/'/g, `'\\''`) +
        (Array.isArray(field.value) ? variable : `"${variable}"`);
      at = field.offset + field.text.length;
    }
    body += request.body.slice(at).replace(/'/g, `'\\''`);
    return [
      `curl --fail-with-body -sS -X ${request.method} ${bashQuote(source.apiUrl + request.path)}`,
      `  -H "Authorization: Bearer $CLERK_SECRET_KEY"`,
      `  -H 'Accept: application/json'`,
      `  -H ${bashQuote(`Clerk-API-Version: ${source.apiVersion}`)}`,
      `  -H 'Content-Type: application/json'`,
      `  --data-raw '${body}'`,
    ].join(' \\\n');
  });
  return `${lines.join('\n')}\n${commands.join(' &&\n')}\n`;
}
