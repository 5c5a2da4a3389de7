import { describe, expect, it } from 'vitest';
import { isKeyShaped, redactSecrets, redactUrl, registerSecret, secretsInUrl } from '../../../main/security/redact';

describe('redaction', () => {
  it('masks URL userinfo, key-like query values and key-shaped path segments, and keeps the rest', () => {
    expect(redactUrl('http://user:pw@host/v1?api_key=abc&x=1')).toBe('http://host/v1?api_key=***&x=1');
    expect(redactUrl('https://h/v1/sk-abcdefgh12345678/chat')).toBe('https://h/v1/***/chat');
    expect(redactUrl('http://127.0.0.1:11434/v1')).toBe('http://127.0.0.1:11434/v1');
    expect(redactUrl('not a url')).toBe('(invalid url)');
    expect(secretsInUrl('http://u:p4ssword@h/K3yK3yK3yK3y0123456789ab/v1?token=t0k3n&model=x')).toEqual([
      'u',
      'p4ssword',
      't0k3n',
      'K3yK3yK3yK3y0123456789ab',
    ]);
  });

  it('tells keys from routes and model names', () => {
    expect(isKeyShaped('sk-proj-abcdef123456')).toBe(true);
    expect(isKeyShaped('a1b2c3d4e5f6a7b8c9d0e1f2')).toBe(true);
    expect(isKeyShaped('v1')).toBe(false);
    expect(isKeyShaped('chat')).toBe(false);
    expect(isKeyShaped('meta-llama-3.1-8b-instruct')).toBe(false);
    expect(isKeyShaped('qwen2-vl-7b-instruct')).toBe(false);
  });

  it('masks known values anywhere, Authorization values and key assignments in free text', () => {
    registerSecret('zzPlantedValue42');
    expect(redactSecrets('error: you sent zzPlantedValue42 twice: zzPlantedValue42')).toBe('error: you sent *** twice: ***');
    expect(redactSecrets('invalid key: Bearer abc.def-123')).toBe('invalid key: Bearer ***');
    expect(redactSecrets('{"authorization": "Basic dXNlcjpwdw=="}')).toBe('{"authorization": "Basic ***"}');
    expect(redactSecrets('api_key=secret123&x=1')).toBe('api_key=***&x=1');
    expect(redactSecrets('see http://a:b@h/v1?key=K for details')).toBe('see http://h/v1?key=*** for details');
    expect(redactSecrets('model answered 42 anomalies')).toBe('model answered 42 anomalies');
  });
});
