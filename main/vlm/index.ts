export { ChatClient, redact } from './openai-client';
export type { ChatEndpoint, ChatRequest, ChatResponse, ChatClientOptions } from './openai-client';
export { FileSecretStore } from './secret-store';
export type { SecretStore } from './secret-store';
export { SafeStorageSecretStore } from './safe-storage-secret-store';
export type { SafeStorageLike } from './safe-storage-secret-store';
export { runVlm } from './vlm-run';
export type { VlmRunOptions } from './vlm-run';
