/**
 * Exact decimal arithmetic for unit parsing: `1.1s` must be exactly 1100 ms and `1.5KiB` exactly
 * 1536 bytes, which binary floating point does not guarantee.
 */

/** A non-negative decimal number as `digits / 10^scale`. */
export interface Decimal {
  digits: bigint;
  scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Reads `12`, `1.5`, `0.25`; anything else (signs, exponents, `.5`) is not a decimal here. */
export function readDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  return { digits: BigInt(match[1] + fraction), scale: fraction.length };
}

/** `value * factor` when that is a whole number, else undefined. */
export function scaleToWhole(value: Decimal, factor: bigint): bigint | undefined {
  const divisor = 10n ** BigInt(value.scale);
  const product = value.digits * factor;
  return product % divisor === 0n ? product / divisor : undefined;
}
