/** The masking engine: replaces secrets and personal data in log events before they leave the machine. */
export { type MaskConfig, maskConfigSchema } from './config.ts';
export { BUILTIN_DETECTORS, type BuiltinDetector, marker } from './detectors.ts';
export { MaskConfigError, type MaskConfigErrorCode } from './maskConfigError.ts';
export { createMasker, type Masker, type MaskOptions, type MaskStats } from './masker.ts';
export type { MaskRule } from './userRules.ts';
