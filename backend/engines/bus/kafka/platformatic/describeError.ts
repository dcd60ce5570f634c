/** The client nests the broker's reason in `errors`; say the innermost one. */
export function describe(error: unknown): string {
  const e = error as { message?: string; errors?: unknown[]; cause?: unknown };
  const inner = Array.isArray(e?.errors) && e.errors.length > 0 ? describe(e.errors[0]) : undefined;
  const message = e?.message ?? String(error);
  return inner !== undefined && inner !== message ? `${message} (${inner})` : message;
}
