import { AWS_KEY, JWT, TOKEN } from './detectors.ts';
import { maskRange, type Scanner } from './spans.ts';

/**
 * Credentials recognizable by their shape alone: JWTs, AWS access key ids and vendor tokens.
 * Each is tried only where a word starts with its prefix, then confirmed by a sticky regular expression
 * compiled once here; the scanner never runs these over a whole line.
 */
export interface TokenShape {
  /** Literal start, checked with `startsWith` before the regular expression runs. */
  prefix: string;
  /** Sticky (`y`), so it matches at the position tried and nowhere else. */
  shape: RegExp;
  detector: number;
}

/**
 * An AWS secret access key written after its name without `=` or `:` (`aws_secret_access_key  wJalr…`,
 * as `aws configure list` and env dumps print it); the key-value detector handles the other forms.
 */
const AWS_SECRET_NEAR_NAME =
  /(?:aws_?)?secret_?access_?key["']?[ \t]+["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/diy;

const SHAPES: readonly TokenShape[] = [
  // Header and payload are base64url JSON (`{"` → `eyJ`); the signature may be empty (alg none).
  { prefix: 'eyJ', shape: /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/y, detector: JWT },
  { prefix: 'AKIA', shape: /AKIA[A-Z0-9]{16}(?![A-Za-z0-9])/y, detector: AWS_KEY },
  { prefix: 'ASIA', shape: /ASIA[A-Z0-9]{16}(?![A-Za-z0-9])/y, detector: AWS_KEY },
  ...[
    'aws_secret',
    'AWS_SECRET',
    'AwsSecret',
    'awsSecret',
    'secret_access',
    'SECRET_ACCESS',
    'SecretAccess',
  ].map((prefix) => ({ prefix, shape: AWS_SECRET_NEAR_NAME, detector: AWS_KEY })),
  // Slack incoming webhook: the path after /services/ is the credential.
  {
    prefix: 'hooks.slack.com/',
    shape: /hooks\.slack\.com\/services\/([A-Za-z0-9/_-]{10,})/dy,
    detector: TOKEN,
  },
  { prefix: 'AIza', shape: /AIza[A-Za-z0-9_-]{30,}/y, detector: TOKEN }, // Google API key
  { prefix: 'ya29.', shape: /ya29\.[A-Za-z0-9_-]{10,}/y, detector: TOKEN }, // Google OAuth access token
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((prefix) => ({
    prefix,
    shape: /gh[pousr]_[A-Za-z0-9]{30,}/y,
    detector: TOKEN,
  })), // GitHub
  { prefix: 'github_pat_', shape: /github_pat_[A-Za-z0-9_]{30,}/y, detector: TOKEN },
  { prefix: 'glpat-', shape: /glpat-[A-Za-z0-9_-]{20,}/y, detector: TOKEN }, // GitLab
  { prefix: 'xox', shape: /xox[abposre]-[A-Za-z0-9-]{10,}/y, detector: TOKEN }, // Slack
  { prefix: 'sk_', shape: /sk_(?:live|test)_[A-Za-z0-9]{16,}/y, detector: TOKEN }, // Stripe secret
  { prefix: 'rk_', shape: /rk_(?:live|test)_[A-Za-z0-9]{16,}/y, detector: TOKEN }, // Stripe restricted
  { prefix: 'whsec_', shape: /whsec_[A-Za-z0-9+/=]{24,}/y, detector: TOKEN }, // Stripe webhook secret
  { prefix: 'sk-', shape: /sk-[A-Za-z0-9_-]{32,}/y, detector: TOKEN }, // OpenAI, Anthropic
  { prefix: 'SG.', shape: /SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/y, detector: TOKEN }, // SendGrid
  { prefix: 'SK', shape: /SK[0-9a-fA-F]{32}(?![A-Za-z0-9])/y, detector: TOKEN }, // Twilio API key
  { prefix: 'npm_', shape: /npm_[A-Za-z0-9]{30,}/y, detector: TOKEN },
  { prefix: 'hf_', shape: /hf_[A-Za-z0-9]{30,}/y, detector: TOKEN }, // Hugging Face
  ...['shpat_', 'shpca_', 'shppa_', 'shpss_'].map((prefix) => ({
    prefix,
    shape: /shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}/y,
    detector: TOKEN,
  })), // Shopify
  ...['dop_v1_', 'doo_v1_', 'dor_v1_'].map((prefix) => ({
    prefix,
    shape: /do[opr]_v1_[a-f0-9]{64}/y,
    detector: TOKEN,
  })), // DigitalOcean
  { prefix: 'pypi-', shape: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{40,}/y, detector: TOKEN },
];

/** Marks `Bearer`/`Basic` (any case) in TOKEN_STARTS; they are checked by code, not by a shape. */
const AUTH_WORD: TokenShape[] = [];

/**
 * Shapes by the first two characters of the word, `(first << 7) | second` (ASCII only): one array
 * load tells the scanner whether a word can start a token at all, which most words cannot.
 */
// Filled, not holey: a hole would send every lookup up the prototype chain.
export const TOKEN_STARTS: (TokenShape[] | undefined)[] = new Array(128 * 128).fill(undefined);
for (const shape of SHAPES) {
  const key = (shape.prefix.charCodeAt(0) << 7) | shape.prefix.charCodeAt(1);
  const shapes = TOKEN_STARTS[key] ?? [];
  shapes.push(shape);
  TOKEN_STARTS[key] = shapes;
}
for (const first of 'Bb') {
  for (const second of 'EeAa') TOKEN_STARTS[(first.charCodeAt(0) << 7) | second.charCodeAt(0)] = AUTH_WORD;
}

/**
 * Called where a word starts with two characters listed in TOKEN_STARTS. Returns where scanning resumes
 * after a masked token, or -1.
 */
export function maskToken(sc: Scanner, s: string, i: number, shapes: TokenShape[]): number {
  if (shapes === AUTH_WORD) return maskAuthCredential(sc, s, i);
  for (const { prefix, shape, detector } of shapes) {
    if (((sc.enabled >> detector) & 1) === 0 || !s.startsWith(prefix, i)) continue;
    shape.lastIndex = i;
    if (!shape.hasIndices) {
      if (shape.test(s) && maskRange(sc, s, i, shape.lastIndex, detector)) return shape.lastIndex;
      continue;
    }
    // Shapes with a group (and the `d` flag) mask only the group: the name or host before it stays.
    const found = shape.exec(s);
    const secret = found?.indices?.[1];
    if (secret !== undefined && maskRange(sc, s, secret[0], secret[1], detector)) return secret[1];
  }
  return -1;
}

/** 1 where TOKEN_STARTS has shapes, by `(first << 8) | second` (first ASCII): a load a byte walk can afford. */
export const TOKEN_START_BYTES = new Uint8Array(128 * 256);
for (let key = 0; key < TOKEN_STARTS.length; key++) {
  if (TOKEN_STARTS[key] !== undefined) TOKEN_START_BYTES[((key >> 7) << 8) | (key & 127)] = 1;
}

/**
 * Whether maskToken() could mask at `i` (the shapes of TOKEN_STARTS there): a shape's prefix or an auth
 * word starts there. Asks nothing of what follows, so it is never false where maskToken() masks.
 */
export function tokenMayStart(s: string, i: number, shapes: TokenShape[]): boolean {
  if (shapes === AUTH_WORD) return startsWithWord(s, i, 'basic') || startsWithWord(s, i, 'bearer');
  for (let k = 0; k < shapes.length; k++) if (s.startsWith(shapes[k].prefix, i)) return true;
  return false;
}

/** Characters of a bearer credential or a base64 `Basic` one. */
function isCredentialChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 126 ||
    c === 43 ||
    c === 47 ||
    c === 61
  );
}

const MIN_CREDENTIAL = 8;

/**
 * `Bearer <credential>` and `Basic <base64 of user:password>` outside a header line (header lines are
 * handled by their key). The scheme word stays. To leave prose alone (`bearer authentication failed`),
 * a bearer credential must contain a digit or punctuation and a basic one must decode to `user:password`.
 */
function maskAuthCredential(sc: Scanner, s: string, i: number): number {
  if ((sc.enabled >> TOKEN) & 1) {
    const basic = startsWithWord(s, i, 'basic');
    if (basic || startsWithWord(s, i, 'bearer')) {
      let start = i + (basic ? 5 : 6);
      while (s.charCodeAt(start) === 32) start++;
      let end = start;
      let shaped = false;
      let padded = false;
      while (end < s.length && isCredentialChar(s.charCodeAt(end))) {
        const c = s.charCodeAt(end++);
        // `=` is base64 padding, only at the end: `Bearer max_tokens=512` is prose, not a credential.
        if (padded && c !== 61) return -1;
        if (c === 61) padded = true;
        if (c < 65 || (c > 90 && c < 97) || c > 122) shaped = true;
      }
      if (end - start < MIN_CREDENTIAL) return -1;
      if (basic ? decodesToUserPassword(s.slice(start, end)) : shaped) {
        if (maskRange(sc, s, start, end, TOKEN)) return end;
      }
    }
  }
  return -1;
}

/** Case-insensitive `word` at `i`, followed by a space. */
function startsWithWord(s: string, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((s.charCodeAt(i + k) | 32) !== word.charCodeAt(k)) return false;
  }
  return s.charCodeAt(i + word.length) === 32;
}

function decodesToUserPassword(base64: string): boolean {
  try {
    return atob(base64).includes(':');
  } catch {
    // Not base64 at all: an ordinary word after "Basic", nothing to mask.
    return false;
  }
}
