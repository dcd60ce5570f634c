import { ApiError } from '../../../core/http/apiError.ts';
import { parseTimeExpression } from '../../../core/time/index.ts';
import { parseDuration } from '../../../core/units/duration.ts';

/** The longest silence: a forgotten one must not mute a rule for good. */
export const MAX_SILENCE_MS = 30 * 86_400_000;

/**
 * Until when `PUT …/silence` silences a rule: `{"for": "1h"}` (from now) or `{"until": "<RFC 3339>"}`,
 * in the future and at most 30 days ahead.
 */
export function silenceUntil(body: unknown, nowMs: number): number {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ApiError(400, 'bad_silence', 'send {"for": "1h"} or {"until": "2026-12-07T18:00:00Z"}');
  const { for: duration, until, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0)
    throw new ApiError(400, 'bad_silence', `unknown field "${extra[0].slice(0, 40)}"; use "for" or "until"`);
  if ((duration === undefined) === (until === undefined))
    throw new ApiError(400, 'bad_silence', 'give exactly one of "for" (e.g. "1h") or "until" (RFC 3339)');
  let at: number;
  try {
    at =
      duration !== undefined
        ? nowMs + parseDuration(String(duration))
        : parseTimeExpression(String(until), nowMs);
  } catch (error) {
    throw new ApiError(400, 'bad_silence', (error as Error).message);
  }
  if (!(at > nowMs)) throw new ApiError(400, 'bad_silence', 'a silence must end in the future');
  if (at - nowMs > MAX_SILENCE_MS)
    throw new ApiError(400, 'bad_silence', 'a silence lasts at most 30 days; silence again when it ends');
  return at;
}
