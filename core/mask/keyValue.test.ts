import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMasker } from './masker.ts';

const masker = createMasker();
const mask = (text: string) => masker.maskText(text);

describe('values of sensitive keys', () => {
  it('matches key names across casings and separators', () => {
    for (const key of [
      'api_key',
      'api-key',
      'apiKey',
      'API_KEY',
      'ApiKey',
      'x-api-key',
      'X-API-KEY',
      'apikey',
    ]) {
      assert.equal(mask(`${key}=abc123def`), `${key}=[MASKED:secret]`, key);
    }
  });

  it('matches names at the end of longer keys', () => {
    assert.equal(
      mask('db_password=pw1 mysqlRootPassword=pw2'),
      'db_password=[MASKED:password] mysqlRootPassword=[MASKED:password]',
    );
    assert.equal(
      mask('client_secret=cs github_token=gt'),
      'client_secret=[MASKED:secret] github_token=[MASKED:token]',
    );
    assert.equal(mask('AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI'), 'AWS_SECRET_ACCESS_KEY=[MASKED:aws_key]');
    assert.equal(
      mask('private_key=abc sessionId=s1 Cookie=c1'),
      'private_key=[MASKED:private_key] sessionId=[MASKED:token] Cookie=[MASKED:token]',
    );
    assert.equal(
      mask('password_hash=$2b$12$abc JSESSIONID=x1'),
      'password_hash=[MASKED:password] JSESSIONID=[MASKED:token]',
    );
  });

  it('matches short names only as whole words', () => {
    assert.equal(
      mask('pass=a db_pass=b dbPass=c auth=d'),
      'pass=[MASKED:password] db_pass=[MASKED:password] dbPass=[MASKED:password] auth=[MASKED:token]',
    );
    assert.equal(mask('bypass=true compass=north oauth=google'), 'bypass=true compass=north oauth=google');
  });

  it('leaves ordinary keys and values alone', () => {
    const line = 'user=alice status=200 token_type=Bearer max_tokens=512 password_policy=strict keyboard=us';
    assert.equal(mask(line), line);
  });

  it('masks a value that only starts like a marker', () => {
    assert.equal(mask('password=[MASKED:password]hunter2 x=1'), 'password=[MASKED:password] x=1');
    assert.equal(mask('password="[MASKED:x]hunter2"'), 'password="[MASKED:password]"');
  });

  it('does not mangle a sensitive word that has no value', () => {
    for (const line of [
      'password reset requested for user 42',
      'token expired',
      'password:',
      'secret = ',
      'password=""',
    ]) {
      assert.equal(mask(line), line);
    }
  });

  it('masks logfmt values, bare and quoted, keeping the quotes', () => {
    assert.equal(mask('password="correct horse" attempt=3'), 'password="[MASKED:password]" attempt=3');
    assert.equal(mask("password='correct horse' attempt=3"), "password='[MASKED:password]' attempt=3");
    assert.equal(mask('password="say \\"hi\\" now" n=1'), 'password="[MASKED:password]" n=1');
    assert.equal(mask('passwd=Tr0ub4dor&3 dn=cn=admin'), 'passwd=[MASKED:password] dn=cn=admin');
  });

  it('masks key: value and key = value forms', () => {
    assert.equal(mask('loaded secret: abc region: eu'), 'loaded secret: [MASKED:secret] region: eu');
    assert.equal(mask('token = abc123 next=1'), 'token = [MASKED:token] next=1');
    assert.equal(mask('password:hunter2 ok'), 'password:[MASKED:password] ok');
    assert.equal(mask(':password=>"x1" }'), ':password=>"[MASKED:password]" }');
  });

  it('masks a whole YAML or header line when the key starts the line', () => {
    assert.equal(mask('password: correct horse battery staple'), 'password: [MASKED:password]');
    assert.equal(
      mask('db:\n  password: two words\n  user: bob'),
      'db:\n  password: [MASKED:password]\n  user: bob',
    );
    assert.equal(mask('Cookie: sid=abc; theme=dark'), 'Cookie: sid=[MASKED:token]; theme=[MASKED:token]');
  });

  it('keeps the authorization scheme and masks the credential', () => {
    assert.equal(mask('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer [MASKED:token]');
    assert.equal(mask('authorization=Basic YWxhZGRpbjpvcGVu x=1'), 'authorization=Basic [MASKED:token] x=1');
    assert.equal(
      mask('hdr Proxy-Authorization: Digest abc x=1'),
      'hdr Proxy-Authorization: Digest [MASKED:token] x=1',
    );
  });

  it('masks a JSON member whole, scheme included, as maskEvent masks the attribute it becomes', () => {
    assert.equal(mask('{"Authorization":"Bearer abc"}'), '{"Authorization":"[MASKED:token]"}');
    assert.equal(mask('{"password.hint":"pet name"}'), '{"password.hint":"[MASKED:password]"}');
    assert.equal(mask('{"db.host":"x","a.b.token":7}'), '{"db.host":"x","a.b.token":"[MASKED:token]"}');
  });

  it('masks a password whole even when it starts like a scheme', () => {
    assert.equal(mask('password="Basic horse"'), 'password="[MASKED:password]"');
  });

  it('masks URL query parameters up to the next & or #', () => {
    assert.equal(
      mask('GET /cb?code=abc&access_token=t0k&x=1#frag'),
      'GET /cb?code=abc&access_token=[MASKED:token]&x=1#frag',
    );
    assert.equal(
      mask('/s3?X-Amz-Signature=f00d&X-Amz-Credential=AK/x'),
      '/s3?X-Amz-Signature=[MASKED:token]&X-Amz-Credential=[MASKED:secret]',
    );
  });
});

describe('values of sensitive keys in XML elements', () => {
  it('masks the text of sensitive elements, namespaced ones too', () => {
    assert.equal(
      mask('<user>bob</user><password>hunter2</password><ns:ApiKey>k1</ns:ApiKey> tail'),
      '<user>bob</user><password>[MASKED:password]</password><ns:ApiKey>[MASKED:secret]</ns:ApiKey> tail',
    );
  });

  it('leaves closing tags and arrows alone', () => {
    for (const line of ['</password> next', 'a => b', 'token> x', 'x password->y'])
      assert.equal(mask(line), line);
  });
});

describe('values of sensitive keys in JSON text', () => {
  it('masks string values, escaped quotes inside included, and stays valid JSON', () => {
    const input = '{"user":"bob","password":"p\\"q\\\\","n":1}';
    const out = mask(input);
    assert.equal(out, '{"user":"bob","password":"[MASKED:password]","n":1}');
    assert.deepEqual(JSON.parse(out), { user: 'bob', password: '[MASKED:password]', n: 1 });
  });

  it('masks at any depth and with spaces around the colon', () => {
    const out = mask('{ "data" : { "creds" : { "refresh_token" : "r1", "ttl": 60 } } }');
    assert.deepEqual(JSON.parse(out), { data: { creds: { refresh_token: '[MASKED:token]', ttl: 60 } } });
  });

  it('turns numbers, objects and arrays under a sensitive key into a quoted marker', () => {
    const out = mask(
      '{"pin":1,"password":12345,"credentials":{"user":"u","k":["a","}"]},"secrets":[1,2],"ok":true}',
    );
    assert.deepEqual(JSON.parse(out), {
      pin: 1,
      password: '[MASKED:password]',
      credentials: '[MASKED:secret]',
      secrets: '[MASKED:secret]',
      ok: true,
    });
  });

  it('keeps null and booleans under a sensitive key', () => {
    const input = '{"password":null,"token":false}';
    assert.equal(mask(input), input);
  });

  it('masks unquoted words under a sensitive key in JSON-like text', () => {
    assert.equal(
      mask('{"password": hunter2, "token": nullish}'),
      '{"password": [MASKED:password], "token": [MASKED:token]}',
    );
  });

  it('masks JSON escaped inside a JSON string and keeps both levels valid', () => {
    const inner = JSON.stringify({ password: 'a"b\\c', user: 'bob' });
    const input = JSON.stringify({ msg: inner, level: 'info' });
    const outer = JSON.parse(mask(input));
    assert.deepEqual(JSON.parse(outer.msg), { password: '[MASKED:password]', user: 'bob' });
    assert.equal(outer.level, 'info');
  });

  it('masks logfmt text inside a JSON string without breaking the JSON', () => {
    for (const msg of [
      'login password=hunter2',
      'password="two words" ok',
      'token=abc\nnext line',
      'password=a\\"b',
    ]) {
      const out = mask(JSON.stringify({ msg }));
      const parsed = JSON.parse(out);
      assert.ok(
        !parsed.msg.includes('hunter2') && !parsed.msg.includes('two words') && !parsed.msg.includes('abc'),
      );
      assert.ok(parsed.msg.includes('[MASKED:'), parsed.msg);
    }
    assert.equal(
      JSON.parse(mask(JSON.stringify({ msg: 'token=abc\nnext line' }))).msg,
      'token=[MASKED:token]\nnext line',
    );
  });

  it('judges a quoted key by its own last letters, at any level of escaping', () => {
    // The quick check before a key walk looks past the quote and its backslashes: short keys, keys at
    // the very start and keys of JSON nested two levels deep are still read.
    assert.equal(mask('"pwd":"x1"'), '"pwd":"[MASKED:password]"');
    assert.equal(mask('{\\"db_pass\\":\\"x2\\"}'), '{\\"db_pass\\":\\"[MASKED:password]\\"}');
    assert.equal(
      mask('{\\\\\\"sig\\\\\\":\\\\\\"x3\\\\\\"}'),
      '{\\\\\\"sig\\\\\\":\\\\\\"[MASKED:token]\\\\\\"}',
    );
    assert.equal(mask("'token' : 'x4'"), "'token' : '[MASKED:token]'");
    assert.equal(mask('{"a":"b","ps":"keep","p":"keep"}'), '{"a":"b","ps":"keep","p":"keep"}');
  });

  it('masks Python-style single-quoted dicts', () => {
    assert.equal(
      mask("{'password': 'hunter2', 'user': 'bob'}"),
      "{'password': '[MASKED:password]', 'user': 'bob'}",
    );
  });
});

describe('URL userinfo', () => {
  it('keeps the user and host, masks the password', () => {
    assert.equal(mask('postgres://app:dbpass@db:5432/x'), 'postgres://app:[MASKED:password]@db:5432/x');
    assert.equal(mask('redis://:s3cret@cache:6379'), 'redis://:[MASKED:password]@cache:6379');
    assert.equal(mask('https://token:p@ss@host/path?q=1'), 'https://token:[MASKED:password]@host/path?q=1');
  });

  it('leaves URLs without a password alone', () => {
    for (const line of [
      'https://example.com:8443/a?b=c',
      'ftp://alice@files.example.com/pub',
      'see http://x/y:z@w',
    ]) {
      assert.equal(mask(line), line);
    }
  });
});
