import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Env, Hono } from 'hono';

/** Where the UI's files live: plain HTML, CSS and browser-native ES modules, served as written. */
export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * The policy every UI response carries. No inline script or style anywhere in the UI, so a log line that
 * somehow reached the DOM as markup could still not run; `connect-src 'self'` keeps the key the user typed
 * from being sent anywhere but this API.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The page itself is revalidated on every load (its ETag makes that a cheap 304), so a new release shows
 * up at once; assets are not versioned by name, so they are cached only briefly.
 */
export const INDEX_CACHE_CONTROL = 'no-cache';
export const ASSET_CACHE_CONTROL = 'public, max-age=300';

export interface UiOptions {
  /** Directory holding index.html and the assets; defaults to backend/ui/public/. */
  publicDir?: string;
}

/**
 * Serves the web UI: `GET /` is index.html, `GET /ui/<file>` an asset. Only files found under the public
 * directory when this is mounted are served, looked up by exact name in that list, so no request path —
 * `..`, encoded slashes, symlinks — can reach another file. The files are read on each request so an
 * edited asset shows up on reload.
 */
export function mountUi<E extends Env>(app: Hono<E>, options: UiOptions = {}): void {
  const root = resolve(options.publicDir ?? PUBLIC_DIR);
  const assets = listAssets(root);
  const index = join(root, 'index.html');

  app.get('/', (c) => serveFile(c, index, CONTENT_TYPES['.html'], INDEX_CACHE_CONTROL));
  app.get('/ui/*', (c) => {
    const name = c.req.path.slice('/ui/'.length);
    const file = assets.get(name);
    if (file === undefined) return notFound(c.req.path);
    return serveFile(c, file.path, file.type, ASSET_CACHE_CONTROL);
  });
}

/**
 * Every regular file under `root` with a known type, keyed by its path relative to `root` with `/`
 * separators. index.html is served at `/` only; dotfiles, symlinks and other types are left out.
 */
export function listAssets(publicDir: string): Map<string, { path: string; type: string }> {
  const root = resolve(publicDir);
  const found = new Map<string, { path: string; type: string }>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const type = CONTENT_TYPES[extname(entry.name)];
        const name = relative(root, path).split(sep).join('/');
        // Belt and braces: a listed file is inside root by construction; check it anyway.
        if (type === undefined || name === 'index.html' || !resolve(path).startsWith(root + sep)) continue;
        found.set(name, { path, type });
      }
    }
  };
  walk(root);
  return found;
}

async function serveFile(c: Context, path: string, type: string, cacheControl: string): Promise<Response> {
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch (error) {
    // Listed at mount but gone now (a redeploy in progress): answer 404 rather than 500.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return notFound(c.req.path);
    throw error;
  }
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  const headers = { ...SECURITY_HEADERS, 'cache-control': cacheControl, etag };
  if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { ...headers, 'content-type': type, 'content-length': String(body.length) },
  });
}

function notFound(path: string): Response {
  const body = { error: { code: 'not_found', message: `no UI file at ${path.slice(0, 200)}`, details: [] } };
  return new Response(JSON.stringify(body), {
    status: 404,
    headers: { ...SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}
