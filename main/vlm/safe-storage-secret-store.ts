import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../common/errors';
import type { SecretStore } from './secret-store';

/** The slice of Electron's safeStorage used here (OS keychain / libsecret / DPAPI backed). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
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

  private read(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private write(data: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(`${this.file}.tmp`, JSON.stringify(data), { mode: 0o600 });
    fs.renameSync(`${this.file}.tmp`, this.file);
  }

  get(name: string): string | null {
    const blob = this.read()[name];
    return blob ? this.safeStorage.decryptString(Buffer.from(blob, 'base64')) : null;
  }

  set(name: string, value: string): void {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new WorkbenchError(
        'unsupported',
        'The operating system keychain is not available, so the key cannot be stored safely.',
      );
    }
    this.write({ ...this.read(), [name]: this.safeStorage.encryptString(value).toString('base64') });
  }

  delete(name: string): void {
    const data = this.read();
    delete data[name];
    this.write(data);
  }
}
