import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkbenchError } from '../../common/errors';
import { tempPath } from '../store/temp-files';
import { readJsonFile } from './json-file';
import { parseModelCard, type ModelCard } from './card';
import { FEATURE_CHANNELS } from './preprocess';
import { loadModel } from './session';
import { isVlmCardJson } from './vlm/card';

/**
 * Model folders, bundled and user alike: ROOT/NAME/VERSION/card.json + the ONNX file the card names
 * (model.onnx). Fine-tuned versions are written by training/finetune.py into the user folder in the
 * same layout, with `parent` in their card.
 */
export type ModelSource = 'bundled' | 'user';

export interface ModelEntry {
  /** NAME@VERSION */
  id: string;
  name: string;
  version: string;
  source: ModelSource;
  dir: string;
  modelPath: string;
  card: ModelCard;
}

export interface ModelProblem {
  path: string;
  message: string;
}

export interface ModelRoots {
  /** default: resources/models of this checkout */
  bundledDir?: string;
  /** the user's models folder (added and fine-tuned models) */
  userDir?: string;
}

export const DEFAULT_MODEL_NAME = 'tsad-window-cnn';

/** resources/models relative to this source file (dev, tests, CLI). A packaged app passes its own path. */
export function defaultBundledModelsDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../resources/models');
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function readCard(path: string): Promise<ModelCard | null> {
  const json = await readJsonFile(path, 'model card');
  // vision-language models live in the same folders with their own card (main/inference/vlm)
  if (isVlmCardJson(json)) return null;
  return parseModelCard(json, path);
}

/** Every NAME/VERSION/card.json under root; folders with a bad card are reported, not thrown. */
export async function scanModels(root: string, source: ModelSource): Promise<{ models: ModelEntry[]; problems: ModelProblem[] }> {
  const models: ModelEntry[] = [];
  const problems: ModelProblem[] = [];
  if (!(await isDir(root))) return { models, problems };
  for (const name of (await readdir(root)).sort()) {
    const nameDir = join(root, name);
    if (name.startsWith('.') || !(await isDir(nameDir))) continue;
    for (const version of (await readdir(nameDir)).sort()) {
      // a version being written (fine-tune, add) sits under a dot-name temporary until it is complete
      if (version.startsWith('.')) continue;
      const dir = join(nameDir, version);
      const cardPath = join(dir, 'card.json');
      if (!(await isDir(dir))) continue;
      try {
        const card = await readCard(cardPath);
        if (card === null) continue;
        if (card.name !== name || card.version !== version) {
          throw new WorkbenchError(
            'invalid_input',
            `Model card ${cardPath} says ${card.name}@${card.version} but sits in ${name}/${version}.`,
            { path: cardPath },
          );
        }
        models.push({ id: `${name}@${version}`, name, version, source, dir, modelPath: join(dir, card.onnx.file), card });
      } catch (err) {
        problems.push({ path: cardPath, message: (err as Error).message });
      }
    }
  }
  return { models, problems };
}

/** Orders versions numerically per dot-separated part ("1.10.0" > "1.9.2"), text parts by string. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const c = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return 0;
}

/** Bundled and user models, sorted by name then version. A user model shadows a bundled one of the same id. */
export async function listModels(roots: ModelRoots = {}): Promise<{ models: ModelEntry[]; problems: ModelProblem[] }> {
  const bundled = await scanModels(roots.bundledDir ?? defaultBundledModelsDir(), 'bundled');
  const user = roots.userDir !== undefined ? await scanModels(roots.userDir, 'user') : { models: [], problems: [] };
  const byId = new Map<string, ModelEntry>();
  for (const m of [...bundled.models, ...user.models]) byId.set(m.id, m);
  const models = [...byId.values()].sort((a, b) =>
    a.name === b.name ? compareVersions(a.version, b.version) : a.name < b.name ? -1 : 1,
  );
  return { models, problems: [...bundled.problems, ...user.problems] };
}

/** 'name@version' → that model; 'name' → its highest version (user fine-tunes included). */
export async function resolveModel(ref: string, roots: ModelRoots = {}): Promise<ModelEntry> {
  const at = ref.lastIndexOf('@');
  const name = at > 0 ? ref.slice(0, at) : ref;
  const version = at > 0 ? ref.slice(at + 1) : undefined;
  const { models } = await listModels(roots);
  const candidates = models.filter((m) => m.name === name && (version === undefined || m.version === version));
  const found = candidates[candidates.length - 1];
  if (found === undefined) {
    const known = models.map((m) => m.id).join(', ') || 'none';
    throw new WorkbenchError('not_found', `No model '${ref}' (known: ${known}).`, { model: ref });
  }
  return found;
}

export interface AddModelOptions {
  userDir: string;
  /** required for a bare .onnx file; overrides nothing when adding a folder with a card */
  name?: string;
  version?: string;
  description?: string;
}

/**
 * Adds a model from disk to the user folder after checking that it loads and has the expected
 * input/outputs: either a folder with card.json + its ONNX file, or a bare .onnx file (a minimal card is
 * written from the model's own input/output metadata; name and version are then required).
 */
export async function addModelFromDisk(sourcePath: string, opts: AddModelOptions): Promise<ModelEntry> {
  let card: ModelCard;
  let onnxPath: string;
  if (await isDir(sourcePath)) {
    const read = await readCard(join(sourcePath, 'card.json'));
    if (read === null)
      throw new WorkbenchError('invalid_input', `${sourcePath} holds a vision-language model, not a window model.`, {
        path: sourcePath,
      });
    card = read;
    onnxPath = join(sourcePath, card.onnx.file);
  } else {
    if (opts.name === undefined || opts.version === undefined) {
      throw new WorkbenchError('invalid_input', `Adding the bare ONNX file ${sourcePath} needs a name and a version.`, {
        path: sourcePath,
      });
    }
    onnxPath = sourcePath;
    const model = await loadModel(onnxPath, { provider: 'cpu' });
    await model.release();
    card = parseModelCard(
      {
        cardFormat: 'tsad-model-card-v1',
        name: opts.name,
        version: opts.version,
        description: opts.description ?? `Added from ${basename(sourcePath)}`,
        inputs: [{ name: model.inputName, dtype: 'float32', shape: ['batch', FEATURE_CHANNELS, model.window] }],
        outputs: [{ name: model.scoreOutput, dtype: 'float32', shape: ['batch', model.window] }],
        preprocessing: { kind: 'tsad-window-v1', window: model.window, defaultStride: model.window },
        onnx: { file: 'model.onnx' },
        parent: null,
      },
      sourcePath,
    );
  }
  const checked = await loadModel(onnxPath, { provider: 'cpu', card });
  await checked.release();
  if (card.onnx.sha256 === undefined) {
    // every registered card carries its model's hash (loadModel checks it from then on; runs record it)
    let bytes: Buffer;
    try {
      bytes = await readFile(onnxPath);
    } catch (err) {
      throw new WorkbenchError('io_error', `Cannot read model file ${onnxPath}: ${(err as Error).message}`, { path: onnxPath });
    }
    card = { ...card, onnx: { ...card.onnx, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length } };
  }

  const dir = join(opts.userDir, card.name, card.version);
  if (await isDir(dir)) {
    throw new WorkbenchError('conflict', `Model ${card.name}@${card.version} already exists in ${opts.userDir}.`, {
      model: `${card.name}@${card.version}`,
    });
  }
  // written under a temporary name and renamed: a killed add leaves no half-registered version
  const staging = tempPath(dir, 'create');
  try {
    await mkdir(staging, { recursive: true });
    await copyFile(onnxPath, join(staging, card.onnx.file));
    await writeFile(join(staging, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
    await rename(staging, dir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw new WorkbenchError('io_error', `Cannot copy model into ${dir}: ${(err as Error).message}`, { path: dir });
  }
  return {
    id: `${card.name}@${card.version}`,
    name: card.name,
    version: card.version,
    source: 'user',
    dir,
    modelPath: join(dir, card.onnx.file),
    card,
  };
}
