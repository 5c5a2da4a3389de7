import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { WorkbenchError } from '../../common/errors';
import { basename, dirname, join } from 'node:path';
import { parseModelCard, type ModelCard } from './card';
import { FEATURE_CHANNELS, type FeatureTail } from './preprocess';

/** Execution providers in preference order (the first available one that creates a session wins). */
export const PROVIDER_ORDER = ['cuda', 'webgpu', 'dml', 'coreml', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_ORDER)[number];
export type ProviderPreference = 'auto' | ProviderName;

export interface BackendInfo {
  name: string;
  /** false: the binary knows the provider but its libraries are installed separately (e.g. CUDA) */
  bundled: boolean;
}

/** What this onnxruntime-node binary supports (CPU is always there). */
export function listSupportedBackends(): BackendInfo[] {
  return ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
}

/** Providers worth trying, in preference order; `preference` other than 'auto' is tried first. */
export function providerCandidates(preference: ProviderPreference = 'auto', supported = listSupportedBackends()): ProviderName[] {
  const names = new Set(supported.map((b) => b.name));
  const available = PROVIDER_ORDER.filter((p) => p === 'cpu' || names.has(p));
  if (preference === 'auto') return available;
  return [preference, ...available.filter((p) => p !== preference && p === 'cpu')];
}

// A provider that failed to create a session fails the same way for the rest of the process: remember why,
// so later loads skip it (and the slow, noisy probe) but still report the reason.
const providerFailures = new Map<ProviderName, string>();

/** Forget remembered provider failures (e.g. after the user installs GPU libraries). */
export function resetProviderFailures(): void {
  providerFailures.clear();
}

// onnxruntime's own log lines for an expected probe failure only repeat what fallbackReason says.
ort.env.logLevel = 'fatal';

export interface LoadModelOptions {
  provider?: ProviderPreference;
  /**
   * intra-op threads; default 1: the bundled model is so small that thread hand-off costs more than it
   * saves (on 2 shared cores 1 thread was as fast or faster at every batch size); run series in parallel
   * workers instead
   */
  threads?: number;
  /** card to check the model against (window, input/output names, sha256); default: the card.json beside
   * the file when that card names this file */
  card?: ModelCard;
}

export interface LoadedModel {
  path: string;
  provider: ProviderName;
  /** why a preferred provider was not used, when one was tried and failed */
  fallbackReason?: string;
  inputName: string;
  scoreOutput: string;
  typeOutput?: string;
  typeLabels?: string[];
  window: number;
  defaultStride: number;
  /** feature tail of the card's preprocessing ('clip' without a card) */
  featureTail: FeatureTail;
  run(batch: Float32Array, batchSize: number): Promise<{ scores: Float32Array; typeProbs?: Float32Array }>;
  release(): Promise<void>;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]?.trim() ?? 'unknown error';
}

function shapeText(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(', ')}]`;
}

async function checkFile(path: string, card?: ModelCard): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new WorkbenchError('invalid_input', `Model path ${path} is not a file.`, { path });
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WorkbenchError('not_found', `Model file ${path} does not exist.`, { path });
    throw new WorkbenchError('io_error', `Cannot read model file ${path}: ${message(err)}`, { path });
  }
  const expected = card?.onnx.sha256;
  if (expected !== undefined) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected) {
      throw new WorkbenchError(
        'parse_error',
        `Model file ${path} does not match its card (sha256 ${actual.slice(0, 12)}…, card says ${expected.slice(0, 12)}…); it is damaged or was replaced.`,
        {
          path,
          sha256: actual,
          expected,
        },
      );
    }
  }
  return bytes;
}

async function siblingCard(path: string): Promise<ModelCard | undefined> {
  const cardPath = join(dirname(path), 'card.json');
  let text: string;
  try {
    text = await readFile(cardPath, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new WorkbenchError('parse_error', `Model card ${cardPath} is not valid JSON: ${message(err)}`, { path: cardPath });
  }
  const card = parseModelCard(json, cardPath);
  return card.onnx.file === basename(path) ? card : undefined;
}

function providerConfig(provider: ProviderName): ort.InferenceSession.ExecutionProviderConfig {
  return provider;
}

/**
 * Loads an ONNX model with the best available execution provider, falling back to CPU (with the reason
 * recorded) when a provider fails to create a session. Missing, unreadable, corrupt or mismatched
 * models (wrong input name, dtype or shape) throw a WorkbenchError; nothing here crashes the process.
 */
export async function loadModel(path: string, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  const card = opts.card ?? (await siblingCard(path));
  const bytes = await checkFile(path, card);
  const reasons: string[] = [];
  let session: ort.InferenceSession | undefined;
  let provider: ProviderName = 'cpu';
  for (const candidate of providerCandidates(opts.provider ?? 'auto')) {
    const known = providerFailures.get(candidate);
    if (known !== undefined) {
      reasons.push(`${candidate}: ${known}`);
      continue;
    }
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: [providerConfig(candidate)],
      graphOptimizationLevel: 'all',
      // Quiet while probing: a provider that is missing is expected, and reported in fallbackReason.
      logSeverityLevel: candidate === 'cpu' ? 3 : 4,
    };
    options.intraOpNumThreads = opts.threads ?? 1;
    try {
      session = await ort.InferenceSession.create(bytes, options);
      provider = candidate;
      break;
    } catch (err) {
      if (candidate === 'cpu') {
        throw new WorkbenchError('parse_error', `Model file ${path} is not a valid ONNX model: ${message(err)}`, { path });
      }
      providerFailures.set(candidate, message(err));
      reasons.push(`${candidate}: ${message(err)}`);
    }
  }
  if (session === undefined) throw new WorkbenchError('internal', `No execution provider could load ${path}.`, { path });
  try {
    return describe(session, path, provider, reasons, card);
  } catch (err) {
    await session.release();
    throw err;
  }
}

function describe(
  session: ort.InferenceSession,
  path: string,
  provider: ProviderName,
  reasons: string[],
  card?: ModelCard,
): LoadedModel {
  const inputs = session.inputMetadata;
  const mismatch = (msg: string, details: Record<string, unknown> = {}): WorkbenchError =>
    new WorkbenchError('invalid_input', `Model ${path}: ${msg}`, { path, ...details });
  if (inputs.length !== 1)
    throw mismatch(`expected one input, found ${inputs.length} (${inputs.map((i) => i.name).join(', ')}).`);
  const input = inputs[0] as ort.InferenceSession.ValueMetadata;
  const expectedInput = card?.inputs[0]?.name;
  if (expectedInput !== undefined && input.name !== expectedInput) {
    throw mismatch(`input is named '${input.name}', its card says '${expectedInput}'.`, { input: input.name });
  }
  if (!input.isTensor || input.type !== 'float32')
    throw mismatch(`input '${input.name}' must be a float32 tensor.`, { input: input.name });
  const shape = input.shape;
  const window = shape[2];
  if (shape.length !== 3 || shape[1] !== FEATURE_CHANNELS || typeof window !== 'number') {
    throw mismatch(`input '${input.name}' has shape ${shapeText(shape)}, expected [batch, ${FEATURE_CHANNELS}, window].`, {
      input: input.name,
      shape: [...shape],
    });
  }
  if (card !== undefined && card.preprocessing.window !== window) {
    throw mismatch(`input window is ${window}, its card says ${card.preprocessing.window}.`, { window });
  }
  if (typeof shape[0] === 'number' && shape[0] !== 1) {
    throw mismatch(`input '${input.name}' has a fixed batch size ${shape[0]}; a dynamic batch axis is required.`, {
      shape: [...shape],
    });
  }
  const tensorOutputs = session.outputMetadata.filter((o): o is ort.InferenceSession.TensorValueMetadata => o.isTensor);
  const scoreOut = tensorOutputs.find((o) => o.shape.length === 2 && o.shape[1] === window && o.type === 'float32');
  if (scoreOut === undefined) {
    throw mismatch(
      `no float32 output of shape [batch, ${window}] (per-point scores); outputs: ${session.outputMetadata.map((o) => o.name).join(', ')}.`,
    );
  }
  const labels = card?.outputs.find((o) => o.labels !== undefined);
  const typeOut = tensorOutputs.find((o) => o !== scoreOut && o.shape.length === 2 && o.type === 'float32');
  const typeCount = typeOut?.shape[1];
  const typeLabels =
    labels?.labels !== undefined && typeof typeCount === 'number' && labels.labels.length === typeCount
      ? labels.labels
      : undefined;

  const inputName = input.name;
  const scoreName = scoreOut.name;
  const typeName = typeOut?.name;
  let released = false;
  const model: LoadedModel = {
    path,
    provider,
    ...(reasons.length > 0 ? { fallbackReason: `fell back to ${provider}: ${reasons.join('; ')}` } : {}),
    inputName,
    scoreOutput: scoreName,
    ...(typeName !== undefined ? { typeOutput: typeName } : {}),
    ...(typeLabels !== undefined ? { typeLabels } : {}),
    window,
    defaultStride: card?.preprocessing.defaultStride ?? window,
    featureTail: card?.preprocessing.tail ?? 'clip',
    async run(batch, batchSize) {
      const tensor = new ort.Tensor('float32', batch.subarray(0, batchSize * FEATURE_CHANNELS * window), [
        batchSize,
        FEATURE_CHANNELS,
        window,
      ]);
      let result: ort.InferenceSession.ReturnType;
      try {
        result = await session.run({ [inputName]: tensor });
      } catch (err) {
        throw new WorkbenchError('internal', `Model ${path} failed to run on ${provider}: ${message(err)}`, { path, provider });
      }
      const scores = result[scoreName]?.data;
      if (!(scores instanceof Float32Array))
        throw new WorkbenchError('internal', `Model ${path} returned no '${scoreName}' output.`, { path });
      const types = typeName !== undefined ? result[typeName]?.data : undefined;
      return types instanceof Float32Array ? { scores, typeProbs: types } : { scores };
    },
    async release() {
      if (released) return;
      released = true;
      await session.release();
    },
  };
  return model;
}
