/**
 * What a component's check answers (`--check-config`, `/readyz`): whether it is usable and, either way,
 * one line saying what was checked or what failed and what to do about it.
 */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

export const passed = (detail: string): CheckResult => ({ ok: true, detail });
export const failed = (detail: string): CheckResult => ({ ok: false, detail });

/**
 * The check's answer, or a failure once `ms` have passed: a check must never hang `--check-config` or
 * `/readyz`, whatever the engine does (a broker that accepts connections and never answers, say).
 * A check that throws instead of answering is reported with its message, never a stack trace.
 */
export async function bounded(
  check: () => Promise<CheckResult>,
  ms: number,
  what: string,
): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve(failed(`${what}: no answer within ${ms / 1000} s: is it up and reachable?`)),
      ms,
    );
  });
  try {
    return await Promise.race([
      check().catch((error: unknown) => failed(`${what}: ${messageOf(error)}`)),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** An error's message, bounded and without the stack; for non-errors their text. */
export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 400);
}

/** The deepest `code` in an error's cause chain (fetch and some clients wrap ECONNREFUSED twice). */
export function errorCode(error: unknown): string | undefined {
  let found: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') found = code;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

/** Codes meaning nothing answered at the address (down, wrong host or port, firewalled). */
export const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
]);
