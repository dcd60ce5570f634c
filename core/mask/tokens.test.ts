import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMasker } from './masker.ts';

const masker = createMasker();
const mask = (text: string) => masker.maskText(text);

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('tokens recognized by their shape', () => {
  it('masks JWTs wherever they stand, including unsigned ones', () => {
    assert.equal(mask(`jwt ${JWT} expired`), 'jwt [MASKED:jwt] expired');
    assert.equal(mask(`{"t":"${JWT}"}`), '{"t":"[MASKED:jwt]"}');
    assert.equal(mask('none eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. end'), 'none [MASKED:jwt] end');
  });

  it('leaves eyJ text that is no JWT alone', () => {
    for (const line of ['eyJhbGciOiJIUzI1NiJ9 alone', 'keyJam=1', 'eyJ.x.y']) assert.equal(mask(line), line);
  });

  it('masks AWS access key ids (AKIA, ASIA) of the right length only', () => {
    assert.equal(mask('id AKIAIOSFODNN7EXAMPLE ok'), 'id [MASKED:aws_key] ok');
    assert.equal(mask('id ASIAY34FZKBOKMUTVV7A,'), 'id [MASKED:aws_key],');
    for (const line of ['AKIASHORT', 'AKIAIOSFODNN7EXAMPLEXX', 'xAKIAIOSFODNN7EXAMPLE'])
      assert.equal(mask(line), line);
  });

  it('masks an AWS secret key written after its name without = or :', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    assert.equal(
      mask(`aws_secret_access_key    ${secret} ok`),
      'aws_secret_access_key    [MASKED:aws_key] ok',
    );
    assert.equal(mask(`SecretAccessKey "${secret}"`), 'SecretAccessKey "[MASKED:aws_key]"');
    assert.equal(mask(`AWS_SECRET_ACCESS_KEY=${secret}`), 'AWS_SECRET_ACCESS_KEY=[MASKED:aws_key]');
    const notSecret = 'aws_secret_access_key is not set';
    assert.equal(mask(notSecret), notSecret);
  });

  it('masks vendor tokens', () => {
    const tokens = [
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      'gho_16C7e42F292c6912E7710c838347Ae178B4a',
      'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789',
      'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'xoxp-123456789012-1234567890123-AbCdEfGh',
      'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'rk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'AIzaSyA-1234567890abcdefghijklmnopqrstu',
      'glpat-xxxxxxxxxxxxxxxxxxxx',
      'npm_abcdefghijklmnopqrstuvwxyz0123456789',
      'SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      'SK0123456789abcdef0123456789abcdef',
      'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD',
      'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH',
      'ya29.a0AfH6SMBxSecretValue',
    ];
    for (const token of tokens) assert.equal(mask(`using ${token} now`), 'using [MASKED:token] now', token);
  });

  it('masks the secret path of a Slack webhook URL and keeps the host', () => {
    assert.equal(
      mask('post https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXX ok'),
      'post https://hooks.slack.com/services/[MASKED:token] ok',
    );
  });

  it('leaves words that only start like a vendor token alone', () => {
    const line = 'ghost sky_blue sk_live_short xoxo SKU-88231 npm_install when SG.x.y do_v1 github_pat_short';
    assert.equal(mask(line), line);
  });
});

describe('Bearer and Basic credentials outside header lines', () => {
  it('masks the credential and keeps the scheme', () => {
    assert.equal(mask('sent Bearer abc123def456ghi to api'), 'sent Bearer [MASKED:token] to api');
    assert.equal(mask('sent basic YWxhZGRpbjpvcGVuc2VzYW1l to api'), 'sent basic [MASKED:token] to api');
  });

  it('leaves prose alone', () => {
    for (const line of [
      'bearer authentication failed',
      'Basic authentication required',
      'Bearer token missing',
      'Basic auth disabled',
    ]) {
      assert.equal(mask(line), line);
    }
  });
});
