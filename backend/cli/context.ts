import type { ApiClient } from './client.ts';

/** What a command gets: the API client, its parsed options and where to write. */
export interface CommandContext {
  client: ApiClient;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  out(line: string): void;
  err(line: string): void;
  /** Writes to stderr as it is (no line break): progress that rewrites its line. */
  errRaw(text: string): void;
  /** stderr is a terminal: progress may rewrite its line. */
  errIsTTY: boolean;
  color: boolean;
}

export const str = (value: string | boolean | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;
