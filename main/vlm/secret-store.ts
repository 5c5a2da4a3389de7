import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../common/errors';

/** Where endpoint keys live: never in a project file, never in logs. */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/**
 * Encrypted storage for plain Node hosts (serve mode, CLI): AES-256-GCM, with a random key in a
 * separate 0600 file in the user's state folder. It keeps keys out of projects, exports and logs; it
 * does not protect against another process running as the same user (the desktop app uses the OS
 * keychain through Electron's safeStorage instead).
 */
export class FileSecretStore implements SecretStore {
  private readonly keyFile: string;
  private readonly dataFile: string;

  constructor(stateDir: string) {
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    this.keyFile = path.join(stateDir, 'secrets.key');
    this.dataFile = path.join(stateDir, 'secrets.json');
  }

  private key(): Buffer {
    if (!fs.existsSync(this.keyFile)) fs.writeFileSync(this.keyFile, crypto.randomBytes(32), { mode: 0o600 });
    const key = fs.readFileSync(this.keyFile);
    if (key.length !== 32)
      throw new WorkbenchError('io_error', `${this.keyFile} is damaged; delete it and enter the keys again.`);
    return key;
  }

  private read(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.dataFile, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private write(data: Record<string, string>): void {
    const tmp = `${this.dataFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    fs.renameSync(tmp, this.dataFile);
  }

  get(name: string): string | null {
    const blob = this.read()[name];
    if (!blob) return null;
    const raw = Buffer.from(blob, 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new WorkbenchError('io_error', `The stored secret "${name}" cannot be decrypted; enter it again.`);
    }
  }

  set(name: string, value: string): void {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key(), iv);
    const enc = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    this.write({ ...this.read(), [name]: Buffer.concat([iv, cipher.getAuthTag(), enc]).toString('base64') });
  }

  delete(name: string): void {
    const data = this.read();
    delete data[name];
    this.write(data);
  }
}
