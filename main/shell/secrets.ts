import { SafeStorageSecretStore, type SafeStorageLike } from '../vlm/safe-storage-secret-store';
import { FileSecretStore, type SecretStore } from '../vlm/secret-store';

/**
 * The desktop app's key store: Electron's safeStorage (values encrypted with a key the system keyring
 * holds) when the OS offers it, else the file store, whose `protection` then says that file permissions
 * are all that protects the keys. Call after the app is ready (safeStorage answers only then).
 */
export function desktopSecretStore(safeStorage: SafeStorageLike, userData: string): SecretStore {
  return safeStorage.isEncryptionAvailable() ? new SafeStorageSecretStore(safeStorage, userData) : new FileSecretStore(userData);
}
