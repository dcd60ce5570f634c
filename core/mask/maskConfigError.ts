export type MaskConfigErrorCode = 'mask_builtin_unknown' | 'mask_rule_invalid';

/** Thrown by `createMasker` for options the config schema would have refused; the message says what to fix. */
export class MaskConfigError extends Error {
  readonly code: MaskConfigErrorCode;
  /** The offending name or pattern (bounded). */
  readonly input: string;
  constructor(code: MaskConfigErrorCode, input: string, message: string) {
    super(message);
    this.name = 'MaskConfigError';
    this.code = code;
    this.input = input.length > 80 ? `${input.slice(0, 80)}…` : input;
  }
}
