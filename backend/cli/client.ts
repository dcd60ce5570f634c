import { UsageError } from './usage.ts';

/** A failure that is not the user's command line: unreachable server, 401/403/404/5xx (exit code 1). */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

export interface ApiClient {
  base: string;
  request(
    method: string,
    path: string,
    params?: Record<string, string | undefined>,
    body?: unknown,
  ): Promise<Response>;
  json<T>(
    method: string,
    path: string,
    params?: Record<string, string | undefined>,
    body?: unknown,
  ): Promise<T>;
}

type ErrorBody = {
  error?: { code?: string; message?: string; details?: Array<{ position?: number | null }> };
} | null;

/**
 * The query API over fetch: every non-2xx answer becomes one line with the API's code and message;
 * a 400 (the request as given is invalid) is the user's mistake, so it is a UsageError (exit 2).
 */
export function apiClient(base: string, key: string | undefined, tenant: string | undefined): ApiClient {
  const headers: Record<string, string> = key === undefined ? {} : { authorization: `Bearer ${key}` };
  const request: ApiClient['request'] = async (method, path, params = {}, body) => {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries({ ...params, tenant }))
      if (v !== undefined) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
      throw new CliFailure(
        `cannot reach ${base}: ${cause?.code ?? cause?.message ?? (error as Error).message}; is Sluice running there? (--url, SLUICE_URL)`,
      );
    }
    if (!res.ok) {
      const text = await res.text();
      let parsed: ErrorBody = null;
      try {
        parsed = JSON.parse(text) as ErrorBody;
      } catch {
        // Not the API's JSON (a proxy's page, say): the status line says enough.
      }
      const code = parsed?.error?.code;
      const message = parsed?.error?.message ?? res.statusText;
      const line = `${res.status}${code === undefined ? '' : ` ${code}`}: ${message}`;
      if (res.status === 400)
        throw new UsageError(code === 'limit_too_large' ? `${line} (to get every hit use --all)` : line);
      if (res.status === 401) throw new CliFailure(`${line} (pass an API key with --key or SLUICE_KEY)`);
      throw new CliFailure(line);
    }
    return res;
  };
  return {
    base,
    request,
    async json(method, path, params, body) {
      const res = await request(method, path, params, body);
      return (await res.json()) as never;
    },
  };
}
