import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMasker } from './masker.ts';

const masker = createMasker();
const mask = (text: string) => masker.maskText(text);

describe('private key blocks', () => {
  it('masks the body across real newlines and keeps the BEGIN and END lines', () => {
    const block =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    assert.equal(
      mask(`key:\n${block}\nafter`),
      'key:\n-----BEGIN PRIVATE KEY-----[MASKED:private_key]-----END PRIVATE KEY-----\nafter',
    );
  });

  it('masks a block inside a JSON string, with literal \\n, keeping the JSON valid', () => {
    const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\n';
    const out = mask(JSON.stringify({ cfg: pem, n: 1 }));
    assert.deepEqual(JSON.parse(out), {
      cfg: '-----BEGIN OPENSSH PRIVATE KEY-----[MASKED:private_key]-----END OPENSSH PRIVATE KEY-----\n',
      n: 1,
    });
  });

  it('masks to the end of the text, or of the JSON string, when the END line is missing', () => {
    assert.equal(
      mask('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE'),
      '-----BEGIN EC PRIVATE KEY-----[MASKED:private_key]',
    );
    const out = mask(JSON.stringify({ k: '-----BEGIN RSA PRIVATE KEY-----\nMIIEow', n: 2 }));
    assert.deepEqual(JSON.parse(out), { k: '-----BEGIN RSA PRIVATE KEY-----[MASKED:private_key]', n: 2 });
  });

  it('masks PGP private key blocks', () => {
    assert.equal(
      mask('-----BEGIN PGP PRIVATE KEY BLOCK-----lQOYBF-----END PGP PRIVATE KEY BLOCK-----'),
      '-----BEGIN PGP PRIVATE KEY BLOCK-----[MASKED:private_key]-----END PGP PRIVATE KEY BLOCK-----',
    );
  });

  it('leaves public keys and certificates alone', () => {
    const line =
      '-----BEGIN CERTIFICATE-----MIIBszCCAVmg-----END CERTIFICATE----- -----BEGIN PUBLIC KEY-----MFkw';
    assert.equal(mask(line), line);
  });
});
