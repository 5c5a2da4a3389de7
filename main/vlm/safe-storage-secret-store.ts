import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../common/errors';
import { registerSecret } from '../security/redact';
import { fixPrivateMode, writePrivateFile } from '../security/private-file';
import type { SecretStore } from './secret-store';

/**
 * The slice of Electron's safeStorage used here (OS keychain / libsecret / DPAPI backed). The Electron
 * shell passes `electron.safeStorage`; this module never imports Electron, so it runs and is tested in
 * plain Node with any object of this shape.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux: which keyring backs it ('basic_text' means none: a hard-coded password) */
  getSelectedStorageBackend?(): string;
}

/** Desktop secret storage: values encrypted by the OS keychain through Electron's safeStorage. */
export class SafeStorageSecretStore implements SecretStore {
  private readonly file: string;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    stateDir: string,
  ) {
    this.file = path.join(stateDir, 'secrets.safe.json');
  }

  get protection(): string {
    const backend = this.safeStorage.getSelectedStorageBackend?.();
    return backend === 'basic_text'
      ? `stored in ${this.file}; no system keyring was found, so file permissions (0600) are what protects it`
      : `stored in ${this.file}, encrypted with a key held by the system keyring`;
  }

  private read(): Record<string, string> {
    fixPrivateMode(this.file);
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private write(data: Record<string, string>): void {
    writePrivateFile(this.file, JSON.stringify(data));
  }

  get(name: string): string | null {
    const blob = this.read()[name];
    if (!blob) return null;
    const value = this.safeStorage.decryptString(Buffer.from(blob, 'base64'));
    registerSecret(value);
    return value;
  }

  set(name: string, value: string): void {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new WorkbenchError(
        'unsupported',
        'The operating system keychain is not available, so the key cannot be stored safely.',
      );
    }
    registerSecret(value);
    this.write({ ...this.read(), [name]: this.safeStorage.encryptString(value).toString('base64') });
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
