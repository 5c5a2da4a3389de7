import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { WorkbenchError } from '../../../common/errors';
import { compareVersions, defaultBundledModelsDir, type ModelRoots } from '../registry';
import { readVlmCard, type VlmCard } from './card';

export const DEFAULT_VLM_NAME = 'tsad-plot-vlm';

export interface VlmEntry {
  /** NAME@VERSION */
  id: string;
  dir: string;
  card: VlmCard;
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** VLM folders (ROOT/NAME/VERSION/card.json with kind 'vlm') under the bundled and user roots, by name then version. */
export async function listVlms(roots: ModelRoots = {}): Promise<VlmEntry[]> {
  const out = new Map<string, VlmEntry>();
  for (const root of [roots.bundledDir ?? defaultBundledModelsDir(), roots.userDir]) {
    if (root === undefined || !(await isDir(root))) continue;
    for (const name of (await readdir(root)).sort()) {
      if (!(await isDir(join(root, name)))) continue;
      for (const version of (await readdir(join(root, name))).sort()) {
        const dir = join(root, name, version);
        const card = await readVlmCard(join(dir, 'card.json')).catch(() => null);
        if (card && card.name === name && card.version === version)
          out.set(`${name}@${version}`, { id: `${name}@${version}`, dir, card });
      }
    }
  }
  return [...out.values()].sort((a, b) =>
    a.card.name === b.card.name ? compareVersions(a.card.version, b.card.version) : a.card.name < b.card.name ? -1 : 1,
  );
}

/** 'NAME@VERSION', 'NAME' (its newest version) or a folder path with a VLM card. */
export async function resolveVlm(ref: string, roots: ModelRoots = {}): Promise<VlmEntry> {
  if (ref.includes('/') || ref.includes('\\')) {
    const dir = resolve(ref);
    const card = await readVlmCard(join(dir, 'card.json'));
    return { id: `${card.name}@${card.version}`, dir, card };
  }
  const at = ref.lastIndexOf('@');
  const name = at > 0 ? ref.slice(0, at) : ref;
  const version = at > 0 ? ref.slice(at + 1) : undefined;
  const all = await listVlms(roots);
  const found = all.filter((e) => e.card.name === name && (version === undefined || e.card.version === version)).pop();
  if (!found)
    throw new WorkbenchError(
      'not_found',
      `No vision-language model '${ref}' (known: ${all.map((e) => e.id).join(', ') || 'none'}).`,
      {
        model: ref,
      },
    );
  return found;
}
