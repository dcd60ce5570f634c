import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CheckpointStore } from '../checkpoint/checkpointStore.ts';
import { renderFileLag } from './fileLag.ts';

describe('per-file lag', () => {
  it('is file size minus checkpoint for files still at their path, and absent for others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-lag-'));
    try {
      const app = join(dir, 'app.log');
      await writeFile(app, 'x'.repeat(1000));
      const st = await stat(app);
      const store = await CheckpointStore.open({ path: join(dir, 'cp.json') });
      const entry = {
        path: app,
        dev: st.dev,
        ino: st.ino,
        birthtimeMs: 0,
        head: { len: 0, hash: '' },
        updatedAt: Date.now(),
      };
      store.set('a', { ...entry, offset: 400 });
      store.set('gone', { ...entry, path: join(dir, 'deleted.log'), offset: 0 });
      store.set('rotated', { ...entry, ino: st.ino + 1, offset: 0 });
      store.set('old', { ...entry, offset: 0, retired: true });
      const labels = { input: '0', service: 'checkout' };

      const text = await renderFileLag([{ labels, checkpoints: store }]);
      const series = text.split('\n').filter((l) => l.startsWith('sluice_agent_file_lag_bytes{'));
      assert.deepEqual(series, [
        `sluice_agent_file_lag_bytes{input="0",service="checkout",path="${app}"} 600`,
      ]);
      assert.match(text, /^# TYPE sluice_agent_file_lag_bytes gauge$/m);

      await appendFile(app, 'y'.repeat(50));
      assert.match(await renderFileLag([{ labels, checkpoints: store }]), / 650\n$/);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
