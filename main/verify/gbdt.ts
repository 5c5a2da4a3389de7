/**
 * Gradient-boosted decision trees for binary classification (log loss), fitted in TypeScript: features
 * binned once at quantiles, depth-limited trees grown level by level from gradient histograms, L2-
 * regularized leaf weights, shrinkage. Small and deterministic (no sampling): the verifier's data is a
 * few thousand candidate intervals. `gbdtToOnnx` writes the same function as an ai.onnx.ml
 * TreeEnsembleRegressor followed by a Sigmoid, which onnxruntime runs.
 */
import { encodeOnnxModel, type AttributeValue, type OnnxNode } from './onnx-proto';

export interface GbdtOptions {
  rounds: number;
  depth: number;
  learningRate: number;
  /** L2 penalty on leaf weights */
  lambda: number;
  /** minimum hessian sum in a child */
  minChildWeight: number;
  /** quantile bins per feature */
  bins: number;
}

export const DEFAULT_GBDT: GbdtOptions = { rounds: 200, depth: 3, learningRate: 0.08, lambda: 2, minChildWeight: 3, bins: 48 };

/** A split node (`feature`, go left when x ≤ threshold) or a leaf (`feature` = -1, `value`). Nodes of one tree, root first. */
export interface TreeNode {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  value: number;
}

export interface GbdtModel {
  /** raw score = base + Σ tree(x); probability = sigmoid(raw) */
  base: number;
  trees: TreeNode[][];
  featureCount: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Quantile cut points per feature (ascending, distinct): bin b holds values in (cut[b-1], cut[b]]. */
function cutPoints(X: readonly Float64Array[], f: number, bins: number): number[] {
  const col = Float64Array.from(X, (x) => x[f]).sort();
  const cuts: number[] = [];
  for (let b = 1; b < bins; b++) {
    const v = col[Math.min(col.length - 1, Math.floor((b * col.length) / bins))];
    if (cuts.length === 0 || v > cuts[cuts.length - 1]) cuts.push(v);
  }
  // the last cut would put nothing above it
  if (cuts.length > 0 && cuts[cuts.length - 1] >= col[col.length - 1]) cuts.pop();
  return cuts;
}

function binOf(cuts: readonly number[], v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function predictRaw(model: GbdtModel, x: ArrayLike<number>): number {
  let s = model.base;
  for (const tree of model.trees) {
    let k = 0;
    while (tree[k].feature >= 0) k = x[tree[k].feature] <= tree[k].threshold ? tree[k].left : tree[k].right;
    s += tree[k].value;
  }
  return s;
}

export function predictProbability(model: GbdtModel, x: ArrayLike<number>): number {
  return sigmoid(predictRaw(model, x));
}

/** Fits the trees to 0/1 targets `y` with per-example `weight` (default 1). */
export function fitGbdt(
  X: readonly Float64Array[],
  y: ArrayLike<number>,
  options: Partial<GbdtOptions> = {},
  weight?: ArrayLike<number>,
): GbdtModel {
  const o = { ...DEFAULT_GBDT, ...options };
  const n = X.length;
  if (n === 0) throw new Error('fitGbdt: no examples');
  const F = X[0].length;
  const w = Float64Array.from({ length: n }, (_, i) => (weight ? weight[i] : 1));
  let wp = 0;
  let wall = 0;
  for (let i = 0; i < n; i++) {
    wall += w[i];
    if (y[i]) wp += w[i];
  }
  const prior = Math.min(1 - 1e-6, Math.max(1e-6, wp / wall));
  const base = Math.log(prior / (1 - prior));
  const cuts = Array.from({ length: F }, (_, f) => cutPoints(X, f, o.bins));
  const binned = Array.from({ length: F }, (_, f) => Uint8Array.from(X, (x) => binOf(cuts[f], x[f])));
  const raw = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const trees: TreeNode[][] = [];
  const nodeOf = new Int32Array(n);

  for (let round = 0; round < o.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(raw[i]);
      g[i] = w[i] * (p - (y[i] ? 1 : 0));
      h[i] = w[i] * Math.max(p * (1 - p), 1e-6);
    }
    const tree: TreeNode[] = [{ feature: -1, threshold: 0, left: -1, right: -1, value: 0 }];
    nodeOf.fill(0);
    let frontier = [0];
    for (let level = 0; level < o.depth && frontier.length > 0; level++) {
      // gradient histograms of every frontier node and feature
      const slot = new Map(frontier.map((node, k) => [node, k]));
      const B = o.bins;
      const G = new Float64Array(frontier.length * F * B);
      const H = new Float64Array(frontier.length * F * B);
      const GT = new Float64Array(frontier.length);
      const HT = new Float64Array(frontier.length);
      for (let i = 0; i < n; i++) {
        const k = slot.get(nodeOf[i]);
        if (k === undefined) continue;
        GT[k] += g[i];
        HT[k] += h[i];
        const off = k * F * B;
        for (let f = 0; f < F; f++) {
          const idx = off + f * B + binned[f][i];
          G[idx] += g[i];
          H[idx] += h[i];
        }
      }
      const next: number[] = [];
      frontier.forEach((node, k) => {
        const parentScore = (GT[k] * GT[k]) / (HT[k] + o.lambda);
        let best = { gain: 1e-9, f: -1, b: -1 };
        for (let f = 0; f < F; f++) {
          let gl = 0;
          let hl = 0;
          const off = k * F * B + f * B;
          for (let b = 0; b < cuts[f].length; b++) {
            gl += G[off + b];
            hl += H[off + b];
            const gr = GT[k] - gl;
            const hr = HT[k] - hl;
            if (hl < o.minChildWeight || hr < o.minChildWeight) continue;
            const gain = (gl * gl) / (hl + o.lambda) + (gr * gr) / (hr + o.lambda) - parentScore;
            if (gain > best.gain) best = { gain, f, b };
          }
        }
        if (best.f < 0) {
          tree[node].value = (-GT[k] / (HT[k] + o.lambda)) * o.learningRate;
          return;
        }
        const left = tree.length;
        tree.push({ feature: -1, threshold: 0, left: -1, right: -1, value: 0 });
        tree.push({ feature: -1, threshold: 0, left: -1, right: -1, value: 0 });
        Object.assign(tree[node], { feature: best.f, threshold: cuts[best.f][best.b], left, right: left + 1 });
        next.push(left, left + 1);
      });
      for (let i = 0; i < n; i++) {
        const t = tree[nodeOf[i]];
        if (t.feature >= 0 && slot.has(nodeOf[i]))
          nodeOf[i] = binned[t.feature][i] <= cutsIndex(cuts[t.feature], t.threshold) ? t.left : t.right;
      }
      frontier = next;
    }
    // leaves still open at full depth
    if (frontier.length > 0) {
      const GS = new Map<number, number>();
      const HS = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        GS.set(nodeOf[i], (GS.get(nodeOf[i]) ?? 0) + g[i]);
        HS.set(nodeOf[i], (HS.get(nodeOf[i]) ?? 0) + h[i]);
      }
      for (const node of frontier) tree[node].value = (-(GS.get(node) ?? 0) / ((HS.get(node) ?? 0) + o.lambda)) * o.learningRate;
    }
    for (let i = 0; i < n; i++) {
      let k = 0;
      while (tree[k].feature >= 0) k = X[i][tree[k].feature] <= tree[k].threshold ? tree[k].left : tree[k].right;
      raw[i] += tree[k].value;
    }
    trees.push(tree);
  }
  return { base, trees, featureCount: F };
}

function cutsIndex(cuts: readonly number[], threshold: number): number {
  return cuts.indexOf(threshold);
}

/**
 * Platt scaling of the raw score, folded into the model: probability = sigmoid(a·raw + b) becomes the
 * same trees with every leaf times a and base a·base + b.
 */
export function scaleGbdt(model: GbdtModel, a: number, b: number): GbdtModel {
  return {
    featureCount: model.featureCount,
    base: a * model.base + b,
    trees: model.trees.map((t) => t.map((node) => ({ ...node, value: node.feature < 0 ? a * node.value : node.value }))),
  };
}

/** Fits a, b of sigmoid(a·raw + b) to 0/1 targets by Newton's method on the log loss (Platt's targets smoothing). */
export function fitPlatt(raw: ArrayLike<number>, y: ArrayLike<number>): { a: number; b: number } {
  const n = raw.length;
  let pos = 0;
  for (let i = 0; i < n; i++) if (y[i]) pos++;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const t = y[i] ? hi : lo;
      const p = sigmoid(a * raw[i] + b);
      const d = p - t;
      const s = Math.max(p * (1 - p), 1e-9);
      ga += d * raw[i];
      gb += d;
      haa += s * raw[i] * raw[i];
      hab += s * raw[i];
      hbb += s;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

/** The ensemble attributes of TreeEnsembleRegressor for several models, model k writing target k. */
function ensembleAttributes(models: readonly GbdtModel[]): Record<string, AttributeValue> {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const targetTree: number[] = [];
  const targetNode: number[] = [];
  const targetIds: number[] = [];
  const targetWeight: number[] = [];
  let treeOffset = 0;
  models.forEach((model, target) => {
    // onnxruntime leaves out the base value of a target no leaf writes to: give a tree-less model one empty leaf
    const trees = model.trees.length > 0 ? model.trees : [[{ feature: -1, threshold: 0, left: -1, right: -1, value: 0 }]];
    trees.forEach((tree, t) => {
      tree.forEach((node, k) => {
        treeIds.push(treeOffset + t);
        nodeIds.push(k);
        const leaf = node.feature < 0;
        featureIds.push(leaf ? 0 : node.feature);
        modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
        values.push(leaf ? 0 : node.threshold);
        trueIds.push(leaf ? 0 : node.left);
        falseIds.push(leaf ? 0 : node.right);
        if (leaf) {
          targetTree.push(treeOffset + t);
          targetNode.push(k);
          targetIds.push(target);
          targetWeight.push(node.value);
        }
      });
    });
    treeOffset += trees.length;
  });
  return {
    n_targets: models.length,
    aggregate_function: 'SUM',
    post_transform: 'NONE',
    base_values: { floats: models.map((m) => m.base) },
    nodes_treeids: { ints: treeIds },
    nodes_nodeids: { ints: nodeIds },
    nodes_featureids: { ints: featureIds },
    nodes_modes: { strings: modes },
    nodes_values: { floats: values },
    nodes_truenodeids: { ints: trueIds },
    nodes_falsenodeids: { ints: falseIds },
    target_treeids: { ints: targetTree },
    target_nodeids: { ints: targetNode },
    target_ids: { ints: targetIds },
    target_weights: { floats: targetWeight },
  };
}

/**
 * The verifier as ONNX: input `features` float [N, F]; output `probability` float [N, 1] (the binary
 * model) and, when type models are given, `type_probability` float [N, T] (one-vs-rest, each a sigmoid).
 */
export function gbdtToOnnx(
  model: GbdtModel,
  metadata: Record<string, string> = {},
  typeModels: readonly GbdtModel[] = [],
): Uint8Array {
  const nodes: OnnxNode[] = [
    {
      op: 'TreeEnsembleRegressor',
      domain: 'ai.onnx.ml',
      inputs: ['features'],
      outputs: ['raw'],
      attributes: ensembleAttributes([model]),
    },
    { op: 'Sigmoid', inputs: ['raw'], outputs: ['probability'] },
  ];
  const outputs = [{ name: 'probability', shape: ['N', 1] as (string | number)[] }];
  if (typeModels.length > 0) {
    nodes.push(
      {
        op: 'TreeEnsembleRegressor',
        domain: 'ai.onnx.ml',
        inputs: ['features'],
        outputs: ['type_raw'],
        attributes: ensembleAttributes(typeModels),
      },
      { op: 'Sigmoid', inputs: ['type_raw'], outputs: ['type_probability'] },
    );
    outputs.push({ name: 'type_probability', shape: ['N', typeModels.length] });
  }
  return encodeOnnxModel({
    producer: 'tsad-workbench verifier',
    graphName: 'verifier',
    opsets: { '': 17, 'ai.onnx.ml': 3 },
    inputs: [{ name: 'features', shape: ['N', model.featureCount] }],
    outputs,
    metadata,
    nodes,
  });
}
