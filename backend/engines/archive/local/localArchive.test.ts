import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { openLocalArchive } from '../../../sinks/archive/openArchive.ts';
import { runArchiveContract } from '../contract/archiveContract.ts';

/** Every file under `root`, temporary ones included, as `/`-separated keys. */
async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'));
}

runArchiveContract('local directory', async (options) => {
  const root = await mkdtemp(join(tmpdir(), 'sluice-archive-'));
  return {
    archive: openLocalArchive(join(root, 'archive'), options),
    // Temporary files are left out, as the contract means "objects"; partial writes are checked by list.
    rawKeys: async () =>
      (await allFiles(join(root, 'archive'))).filter((key) => !key.split('/').at(-1)?.startsWith('.')),
    rawGet: (key) => readFile(join(root, 'archive', key)).catch(() => undefined),
    async leavePartialWrite(key, bytes) {
      // What a crash between open and rename leaves: the temporary file, beside where the file would be.
      const path = join(root, 'archive', key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(join(dirname(path), `.${key.split('/').at(-1)}.0000.tmp`), bytes);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
