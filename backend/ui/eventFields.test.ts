import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { EVENT_FIELDS_FILE, eventFieldsModule } from './eventFields.ts';

describe('the UI field list', () => {
  it('is the one generated from core/event', async () => {
    assert.ok(
      (await readFile(EVENT_FIELDS_FILE, 'utf8')) === eventFieldsModule(),
      'backend/ui/public/eventFields.js is stale: run `node backend/ui/eventFields.ts --write`',
    );
  });
});
