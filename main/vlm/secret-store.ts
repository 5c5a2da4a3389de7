import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../common/errors';
import { registerSecret } from '../security/redact';
import { ensurePrivateDir, fixPrivateMode, writePrivateFile } from '../security/private-file';

/** Where endpoint keys live: never in a project file, never in logs. */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): boolean;
  /** the names stored (never the values) */
  list(): string[];
  /** in plain words, what protects the stored keys (shown by `tsad secret`) */
  readonly protection: string;
}

/**
 * Key storage for plain Node hosts (serve mode, CLI) in the user's state folder, kept out of projects,
 * exports and logs. What protects the keys is the file permissions (folder 0700, files 0600, enforced on
 * every write and fixed when found wider): the values are AES-256-GCM encrypted, but with a key that
 * lies in the same folder, so that is obfuscation, not protection against anyone who can read the
 * folder. The desktop app uses the system keyring through Electron's safeStorage instead
 * (SafeStorageSecretStore, which the Electron shell provides).
 */
export class FileSecretStore implements SecretStore {
  private readonly keyFile: string;
  private readonly dataFile: string;

  constructor(private readonly stateDir: string) {
    this.keyFile = path.join(stateDir, 'secrets.key');
    this.dataFile = path.join(stateDir, 'secrets.json');
  }

  get protection(): string {
    return (
      `stored in ${this.dataFile}, protected by file permissions only (readable by your user account alone: ` +
      `folder 0700, file 0600); the encryption key lies beside it, so this is not encryption against someone who can read your files`
    );
  }

  private key(): Buffer {
    ensurePrivateDir(this.stateDir);
    if (!fs.existsSync(this.keyFile)) writePrivateFile(this.keyFile, crypto.randomBytes(32));
    fixPrivateMode(this.keyFile);
    const key = fs.readFileSync(this.keyFile);
    if (key.length !== 32)
      throw new WorkbenchError('io_error', `${this.keyFile} is damaged; delete it and enter the keys again.`);
    return key;
  }

  private read(): Record<string, string> {
    fixPrivateMode(this.dataFile);
    try {
      return JSON.parse(fs.readFileSync(this.dataFile, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private write(data: Record<string, string>): void {
    ensurePrivateDir(this.stateDir);
    writePrivateFile(this.dataFile, JSON.stringify(data));
  }

  get(name: string): string | null {
    const blob = this.read()[name];
    if (!blob) return null;
    const raw = Buffer.from(blob, 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    let value: string;
    try {
      value = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new WorkbenchError('io_error', `The stored secret "${name}" cannot be decrypted; enter it again.`);
    }
    registerSecret(value);
    return value;
  }

  set(name: string, value: string): void {
    registerSecret(value);
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key(), iv);
    const enc = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    this.write({ ...this.read(), [name]: Buffer.concat([iv, cipher.getAuthTag(), enc]).toString('base64') });
  }

  delete(name: string): boolean {
    const data = this.read();
    if (!(name in data)) return false;
    delete data[name];
    this.write(data);
    return true;
  }

  list(): string[] {
    return Object.keys(this.read()).sort();
  }
}
