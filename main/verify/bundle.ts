/**
 * A verifier on disk: ROOT/NAME/VERSION/ with `card.json` (what it was trained on, the feature version
 * and names it expects, the ONNX file's sha256, its training examples for retraining) and the ONNX model.
 * Bundled ones live in resources/verifiers, retrained ones in the user's state folder under verifiers/.
 * Loading checks everything it can and throws a WorkbenchError that names the file and the problem.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { ANOMALY_TYPES, type AnomalyType } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { compareVersions } from '../inference';
import { readJsonFileSync } from '../inference/json-file';
import { FEATURE_NAMES, FEATURE_VERSION } from './features';
import { gbdtToOnnx, type GbdtModel } from './gbdt';
import { VERIFIER_TYPES } from './train';

export const VERIFIER_KIND = 'tsad-interval-verifier';
export const DEFAULT_VERIFIER = 'tsad-verifier';

export interface VerifierRoots {
  bundledDir?: string;
  userDir?: string;
}

export function defaultBundledVerifiersDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/verifiers');
}

export const verifierCardSchema = z.object({
  kind: z.literal(VERIFIER_KIND),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  version: z.string().regex(/^\d+\.\d+\.\d+(-[a-z0-9.]+)?$/),
  description: z.string(),
  parent: z.string().nullable(),
  featureVersion: z.number().int(),
  features: z.array(z.string()),
  onnx: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** where its examples came from, and how many */
  training: z.record(z.string(), z.unknown()),
  /** the examples it was fitted on, for retraining without regenerating them */
  examplesFile: z.string().nullable(),
  /** each feature's median over the false alarms it was trained on: "typical" values for explaining a decision */
  baseline: z.array(z.number()),
  /** the type head's classes in output order; null when the verifier has no type head */
  types: z.array(z.enum(ANOMALY_TYPES)).nullable(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});
export type VerifierCard = z.infer<typeof verifierCardSchema>;

export interface VerifierEntry {
  /** NAME@VERSION */
  id: string;
  card: VerifierCard;
  dir: string;
  source: 'bundled' | 'user';
}

function readCard(dir: string): VerifierCard {
  const file = path.join(dir, 'card.json');
  const json = readJsonFileSync(file, 'verifier card');
  const parsed = verifierCardSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WorkbenchError('parse_error', `Verifier card ${file}: ${issue.path.join('.') || 'card'}: ${issue.message}`, {
      path: file,
    });
  }
  return parsed.data;
}

function scan(root: string | undefined, source: VerifierEntry['source']): VerifierEntry[] {
  if (!root || !fs.existsSync(root)) return [];
  const out: VerifierEntry[] = [];
  for (const name of fs.readdirSync(root).sort()) {
    const nameDir = path.join(root, name);
    if (!fs.statSync(nameDir).isDirectory()) continue;
    for (const version of fs.readdirSync(nameDir).sort()) {
      const dir = path.join(nameDir, version);
      if (!fs.existsSync(path.join(dir, 'card.json'))) continue;
      try {
        const card = readCard(dir);
        out.push({ id: `${card.name}@${card.version}`, card, dir, source });
      } catch {
        // a broken folder is reported when it is asked for by name (resolveVerifier), not while listing
      }
    }
  }
  return out;
}

export function listVerifiers(roots: VerifierRoots = {}): VerifierEntry[] {
  return [...scan(roots.bundledDir ?? defaultBundledVerifiersDir(), 'bundled'), ...scan(roots.userDir, 'user')].sort(
    (a, b) => a.card.name.localeCompare(b.card.name) || compareVersions(a.card.version, b.card.version),
  );
}

/** NAME (the newest version) or NAME@VERSION. A folder asked for by exact version whose card is broken throws its problem. */
export function resolveVerifier(ref: string, roots: VerifierRoots = {}): VerifierEntry {
  const [name, version] = ref.split('@');
  if (version) {
    for (const [root, source] of [
      [roots.bundledDir ?? defaultBundledVerifiersDir(), 'bundled'],
      [roots.userDir, 'user'],
    ] as const) {
      if (!root) continue;
      const dir = path.join(root, name, version);
      if (fs.existsSync(dir)) {
        const card = readCard(dir);
        return { id: `${card.name}@${card.version}`, card, dir, source };
      }
    }
  }
  const matches = listVerifiers(roots).filter((v) => v.card.name === name && (!version || v.card.version === version));
  if (matches.length === 0) {
    const known = listVerifiers(roots).map((v) => v.id);
    throw new WorkbenchError('not_found', `No verifier "${ref}" (known: ${known.join(', ') || 'none'}).`, { verifier: ref });
  }
  return matches[matches.length - 1];
}

export interface VerifierOutput {
  /** calibrated probability per feature row */
  probability: Float32Array;
  /** per row, each type's one-vs-rest probability; null without a type head */
  types: Partial<Record<AnomalyType, number>>[] | null;
}

export interface LoadedVerifier {
  entry: VerifierEntry;
  predict(rows: readonly Float64Array[]): Promise<VerifierOutput>;
  release(): Promise<void>;
}

/** Opens a verifier's ONNX model after checking the card's feature version, names and the file's hash. */
export async function loadVerifier(entry: VerifierEntry): Promise<LoadedVerifier> {
  const { card } = entry;
  if (card.featureVersion !== FEATURE_VERSION || card.features.join(',') !== FEATURE_NAMES.join(',')) {
    throw new WorkbenchError(
      'invalid_input',
      `Verifier ${entry.id} was trained on feature version ${card.featureVersion} (${card.features.length} features); this build computes version ${FEATURE_VERSION} (${FEATURE_NAMES.length} features). Retrain it.`,
      { verifier: entry.id },
    );
  }
  const file = path.join(entry.dir, card.onnx.file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new WorkbenchError('not_found', `Verifier model ${file} cannot be read: ${(err as Error).message}`, { path: file });
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== card.onnx.sha256) {
    throw new WorkbenchError(
      'invalid_input',
      `Verifier model ${file} is damaged: its sha256 is ${sha.slice(0, 12)}…, the card says ${card.onnx.sha256.slice(0, 12)}….`,
      {
        path: file,
      },
    );
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  } catch (err) {
    throw new WorkbenchError(
      'invalid_input',
      `Verifier model ${file} cannot be loaded by onnxruntime: ${(err as Error).message}`,
      { path: file },
    );
  }
  const F = FEATURE_NAMES.length;
  return {
    entry,
    async predict(rows) {
      const types = card.types;
      if (rows.length === 0) return { probability: new Float32Array(0), types: types ? [] : null };
      const flat = new Float32Array(rows.length * F);
      rows.forEach((r, i) => flat.set(r, i * F));
      const out = await session.run({ features: new ort.Tensor('float32', flat, [rows.length, F]) });
      const probability = Float32Array.from(out.probability.data as Float32Array);
      if (!types || !out.type_probability) return { probability, types: null };
      const t = out.type_probability.data as Float32Array;
      return {
        probability,
        types: rows.map((_, i) => Object.fromEntries(types.map((name, k) => [name, t[i * types.length + k]]))),
      };
    },
    release: () => session.release(),
  };
}

export interface StoredExample {
  features: number[];
  label: 0 | 1;
  group: string;
  weight?: number;
  type?: AnomalyType | null;
}

/** Writes NAME/VERSION under root: the ONNX model, its examples and the card (to temporary names, then renamed). */
export function saveVerifier(
  root: string,
  card: Omit<VerifierCard, 'kind' | 'onnx' | 'featureVersion' | 'features' | 'examplesFile' | 'types' | 'baseline'>,
  model: GbdtModel,
  typeModels: readonly GbdtModel[] | null,
  examples: readonly StoredExample[],
): VerifierEntry {
  const dir = path.join(root, card.name, card.version);
  if (fs.existsSync(dir))
    throw new WorkbenchError('conflict', `Verifier ${card.name}@${card.version} exists already in ${root}.`);
  const tmp = `${dir}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const onnx = gbdtToOnnx(
    model,
    { name: card.name, version: card.version, featureVersion: String(FEATURE_VERSION) },
    typeModels ?? [],
  );
  fs.writeFileSync(path.join(tmp, 'verifier.onnx'), onnx);
  fs.writeFileSync(path.join(tmp, 'examples.json'), encodeExamples(examples));
  const full: VerifierCard = {
    kind: VERIFIER_KIND,
    ...card,
    featureVersion: FEATURE_VERSION,
    features: [...FEATURE_NAMES],
    onnx: { file: 'verifier.onnx', sha256: createHash('sha256').update(onnx).digest('hex') },
    examplesFile: 'examples.json',
    types: typeModels ? [...VERIFIER_TYPES] : null,
    baseline: falseAlarmMedians(examples),
  };
  fs.writeFileSync(path.join(tmp, 'card.json'), `${JSON.stringify(full, null, 2)}\n`);
  fs.renameSync(tmp, dir);
  return {
    id: `${full.name}@${full.version}`,
    card: full,
    dir,
    source: root === defaultBundledVerifiersDir() ? 'bundled' : 'user',
  };
}

function falseAlarmMedians(examples: readonly StoredExample[]): number[] {
  const negatives = examples.filter((e) => e.label === 0);
  return FEATURE_NAMES.map((_, f) => {
    const col = negatives.map((e) => e.features[f]).sort((a, b) => a - b);
    return col.length ? Math.fround(col[col.length >> 1]) : 0;
  });
}

/** Examples as JSON with the feature matrix as base64 float32 (features are float32 already: nothing is lost). */
function encodeExamples(examples: readonly StoredExample[]): string {
  const F = FEATURE_NAMES.length;
  const matrix = new Float32Array(examples.length * F);
  examples.forEach((e, i) => matrix.set(e.features, i * F));
  return JSON.stringify({
    count: examples.length,
    features: Buffer.from(matrix.buffer).toString('base64'),
    labels: examples.map((e) => e.label),
    groups: examples.map((e) => e.group),
    weights: examples.map((e) => e.weight ?? 1),
    types: examples.map((e) => e.type ?? null),
  });
}

export function readExamples(entry: VerifierEntry): StoredExample[] {
  if (!entry.card.examplesFile) return [];
  const file = path.join(entry.dir, entry.card.examplesFile);
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      count: number;
      features: string;
      labels: (0 | 1)[];
      groups: string[];
      weights: number[];
      types?: (AnomalyType | null)[];
    };
    const F = FEATURE_NAMES.length;
    const buf = Buffer.from(json.features, 'base64');
    const matrix = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    if (matrix.length !== json.count * F || json.labels.length !== json.count)
      throw new Error(`expected ${json.count} rows of ${F} features`);
    return json.labels.map((label, i) => ({
      features: Array.from(matrix.subarray(i * F, (i + 1) * F)),
      label,
      group: json.groups[i],
      weight: json.weights[i],
      type: json.types?.[i] ?? null,
    }));
  } catch (err) {
    throw new WorkbenchError('parse_error', `Verifier examples ${file} cannot be read: ${(err as Error).message}`, {
      path: file,
    });
  }
}
