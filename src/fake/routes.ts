// A route table: method + path pattern (`/v1/users/:user_id/metadata`) → handler. First match wins.

export interface Route<C, R> {
  method: string;
  pattern: string;
  handler: (ctx: C, params: Record<string, string>) => R;
  /** Set on PATCH/PUT routes that change a user, so the write counts can tell them apart. */
  write?: boolean;
}

export interface RouteMatch<C, R> {
  route: Route<C, R>;
  params: Record<string, string>;
}

export class RouteTable<C, R> {
  private readonly routes: Array<Route<C, R> & { segments: string[] }> = [];

  add(
    method: string,
    pattern: string,
    handler: Route<C, R>['handler'],
    extra: { write?: boolean } = {},
  ): this {
    this.routes.push({ method, pattern, handler, ...extra, segments: pattern.split('/').filter(Boolean) });
    return this;
  }

  /** The route for `method` and `path` (percent-decoded segments as params), or undefined. */
  match(method: string, path: string): RouteMatch<C, R> | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const segment = route.segments[i];
        if (segment.startsWith(':')) params[segment.slice(1)] = safeDecode(parts[i]);
        else ok = segment === parts[i];
      }
      if (ok) return { route, params };
    }
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
