import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { ArchiveFixture } from '../../descriptor.ts';

/** Every file under `root`, temporary ones included, as `/`-separated keys. */
async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'));
}

export const fixtures = {
  'fresh directory': async (): Promise<ArchiveFixture> => {
    const root = await mkdtemp(join(tmpdir(), 'sluice-archive-'));
    const dir = join(root, 'archive');
    return {
      config: { kind: 'local', dir },
      // Temporary files are left out, as the contract means "objects"; partial writes are checked by list.
      rawKeys: async () => (await allFiles(dir)).filter((key) => !key.split('/').at(-1)?.startsWith('.')),
      rawGet: (key) => readFile(join(dir, key)).catch(() => undefined),
      async leavePartialWrite(key, bytes) {
        // What a crash between open and rename leaves: the temporary file, beside where the file would be.
        const path = join(dir, key);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(join(dirname(path), `.${key.split('/').at(-1)}.0000.tmp`), bytes);
      },
      cleanup: () => rm(root, { recursive: true, force: true }),
    };
  },
};
