import { setAttr } from '../event/normalize.ts';
import type { LogEvent } from '../event/types.ts';
import { attrMasker } from './attrMasker.ts';
import { maskCookieValue } from './cookie.ts';
import { AWS_KEY, BUILTIN_DETECTORS, marker, PASSWORD, PRIVATE_KEY, SECRET, TOKEN } from './detectors.ts';
import { buildKeyTrie, keyTails } from './keyNames.ts';
import { MaskConfigError } from './maskConfigError.ts';
import { mayMaskAscii, planScan, scanText } from './scan.ts';
import { applySpans, emptySpans, resetSpans, type Scanner } from './spans.ts';
import { type CompiledRule, compileRules, type MaskRule } from './userRules.ts';

export interface MaskOptions {
  /** Built-in detectors to run, by name; all when absent. */
  builtin?: readonly string[];
  /** More sensitive key names, on top of the built-in ones; their values mask as `secret`. */
  keys?: readonly string[];
  rules?: readonly MaskRule[];
}

export interface MaskStats {
  /** Values masked so far, by detector or rule name. */
  masked: Record<string, number>;
}

export interface Masker {
  maskText(text: string): string;
  /**
   * False only when maskText(text) returns `text` as it is, `text` being the decoding of
   * `bytes[start, end)`: found from the bytes at a fraction of the scan's cost (see mayMaskAscii).
   * True for text that is not printable ASCII (unless no detector is on), and whenever user rules are
   * configured.
   */
  mayMask(bytes: Uint8Array, start: number, end: number, text: string): boolean;
  /** Masks `message` and `attrs`; returns the same object when nothing was masked, else a copy. */
  maskEvent(event: LogEvent): LogEvent;
  stats(): MaskStats;
}

const KEY_DETECTORS = (1 << PASSWORD) | (1 << SECRET) | (1 << TOKEN) | (1 << AWS_KEY) | (1 << PRIVATE_KEY);

/** Compiles the options once: key trie, regular expressions, markers. Throws MaskConfigError on bad options. */
export function createMasker(options: MaskOptions = {}): Masker {
  const enabled = enabledMask(options.builtin);
  const configKeys = options.keys ?? [];
  const rules = compileRules(options.rules ?? []);
  const names = [...BUILTIN_DETECTORS, ...rules.map((rule) => rule.name)];
  const counts = new Array<number>(names.length).fill(0);
  const trie = buildKeyTrie(configKeys);
  const sc: Scanner = {
    enabled,
    trie,
    keyTails: keyTails(trie),
    markers: names.map(marker),
    spans: emptySpans(),
    pemSearchedFrom: 0,
    pemEndAt: -1,
  };
  const plan = planScan(
    enabled,
    (enabled & KEY_DETECTORS) !== 0 || configKeys.length > 0,
    ((enabled >> PASSWORD) & 1) === 1,
  );
  const ruleReplacers = rules.map((rule, k) => replacer(rule, counts, BUILTIN_DETECTORS.length + k));

  const maskText = (text: string): string => {
    scanText(sc, plan, text);
    const spans = sc.spans;
    for (let k = 0; k < spans.count; k++) counts[spans.detector[k]]++;
    let out = applySpans(text, spans);
    for (let k = 0; k < rules.length; k++) out = out.replace(rules[k].pattern, ruleReplacers[k]);
    return out;
  };
  const maskCookie = (text: string, kind: number): string => {
    resetSpans(sc.spans);
    maskCookieValue(sc, text, 0, text.length, TOKEN, kind);
    const spans = sc.spans;
    for (let k = 0; k < spans.count; k++) counts[spans.detector[k]]++;
    return applySpans(text, spans);
  };
  const maskAttr = attrMasker({ trie, enabled, markers: sc.markers, counts, maskText, maskCookie });

  const maskEvent = (event: LogEvent): LogEvent => {
    const message = maskText(event.message);
    let attrs = event.attrs;
    for (const key in event.attrs) {
      const value = event.attrs[key];
      const masked = maskAttr(key, value);
      if (masked === value) continue;
      // Copy on first change: callers may still hold the original event (the agent's spool, a retry).
      if (attrs === event.attrs) attrs = { ...event.attrs };
      setAttr(attrs, key, masked);
    }
    if (message === event.message && attrs === event.attrs) return event;
    return { ...event, message, attrs };
  };

  const stats = (): MaskStats => {
    const masked: Record<string, number> = {};
    names.forEach((name, k) => {
      masked[name] = counts[k];
    });
    return { masked };
  };

  // With every detector off (`builtin: []`, no keys) the scan finds nothing in any text.
  const scans = Object.values(plan).some(Boolean);
  const mayMask = (bytes: Uint8Array, start: number, end: number, text: string): boolean =>
    rules.length > 0 || (scans && mayMaskAscii(sc, plan, bytes, start, end, text));

  return { maskText, mayMask, maskEvent, stats };
}

function enabledMask(builtin: readonly string[] | undefined): number {
  if (builtin === undefined) return (1 << BUILTIN_DETECTORS.length) - 1;
  let mask = 0;
  for (const name of builtin) {
    const id = (BUILTIN_DETECTORS as readonly string[]).indexOf(name);
    if (id < 0) {
      throw new MaskConfigError(
        'mask_builtin_unknown',
        name,
        `unknown masking detector ${JSON.stringify(name)}; expected one of ${BUILTIN_DETECTORS.join(', ')}`,
      );
    }
    mask |= 1 << id;
  }
  return mask;
}

function replacer(rule: CompiledRule, counts: number[], id: number): () => string {
  return () => {
    counts[id]++;
    return rule.replacement;
  };
}
