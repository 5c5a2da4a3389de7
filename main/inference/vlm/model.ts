import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { throwIfAborted, WorkbenchError } from '../../../common/errors';
import { readVlmCard, type VlmCard } from './card';
import { VLM_IMAGE } from './image';
import { AnswerGrammar } from './grammar';
import { ANSWER_CLASSES, decode, LOC0, VOCAB } from './tokenizer';

const CLASS_OPEN = VOCAB.indexOf('<class>');
const CLASS_TOKENS = ANSWER_CLASSES.map((c) => VOCAB.indexOf(c));

function logSoftmax(xs: number[]): number[] {
  const max = Math.max(...xs);
  const lse = max + Math.log(xs.reduce((a, x) => a + Math.exp(x - max), 0));
  return xs.map((x) => x - lse);
}

export interface DecodeOptions {
  /** decoder tokens at most (default and ceiling: the card's maxTokens) */
  maxTokens?: number;
  signal?: AbortSignal;
  /** take the best token the answer grammar allows (default true); false: the plain argmax, as PyTorch's greedy */
  constrained?: boolean;
}

export interface Decoded {
  /** the decoder's text: `<answer>…</answer><class>…</class>` */
  text: string;
  tokens: number[];
  /** 'length': the token budget ran out before <eos> */
  finishReason: 'stop' | 'length';
}

export interface LoadedVlm {
  id: string;
  dir: string;
  card: VlmCard;
  /** greedy decoding of a batch of plots (luminance bytes, 150 × 1000 each) */
  generate(images: readonly Uint8Array[], opts?: DecodeOptions): Promise<Decoded[]>;
  /** the decoder's logits of every step of a given token path (parity checks) */
  stepLogits(image: Uint8Array, tokens: readonly number[]): Promise<Float32Array[]>;
  /** the encoder's class-head logits (card decoder.classHead order), or null for a model without one */
  classLogits(image: Uint8Array): Promise<Float32Array | null>;
  release(): Promise<void>;
}

async function session(path: string, expectedSha: string | undefined, threads: number): Promise<ort.InferenceSession> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WorkbenchError(
      code === 'ENOENT' ? 'not_found' : 'io_error',
      `Cannot read VLM file ${path}: ${(err as Error).message}`,
      {
        path,
      },
    );
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (expectedSha !== undefined && sha !== expectedSha)
    throw new WorkbenchError(
      'invalid_input',
      `VLM file ${path} does not match its card (sha256 ${sha.slice(0, 12)}…, card ${expectedSha.slice(0, 12)}…).`,
      {
        path,
      },
    );
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new WorkbenchError(
      'invalid_input',
      `VLM file ${path} is not a loadable ONNX model: ${(err as Error).message.split('\n')[0]}`,
      {
        path,
      },
    );
  }
}

/**
 * Loads a VLM folder (card.json, encoder.onnx, decoder.onnx) on the CPU. The encoder turns plots into
 * the decoder's cross-attention keys and values and the location keys once; the decoder then runs one
 * token per call with a static KV cache of maxTokens positions (inputs cache_k/cache_v, outputs
 * next_cache_*), greedily.
 */
export async function loadVlm(dir: string, opts: { threads?: number } = {}): Promise<LoadedVlm> {
  const card = await readVlmCard(join(dir, 'card.json'));
  if (card.image.width !== VLM_IMAGE.width || card.image.height !== VLM_IMAGE.height)
    throw new WorkbenchError(
      'invalid_input',
      `VLM card ${dir} expects ${card.image.width}×${card.image.height} plots; this runtime reads 1000×150.`,
    );
  if (card.decoder.vocab !== undefined && card.decoder.vocab !== VOCAB.length)
    throw new WorkbenchError(
      'invalid_input',
      `VLM card ${dir} has a vocabulary of ${card.decoder.vocab} tokens; this runtime's tokenizer has ${VOCAB.length}.`,
    );
  const threads = opts.threads ?? 1;
  const encoder = await session(join(dir, card.files.encoder), card.sha256?.encoder, threads);
  const decoder = await session(join(dir, card.files.decoder), card.sha256?.decoder, threads);
  const { layers, heads, headDim, maxTokens, bos, eos } = card.decoder;
  const classFrom = card.decoder.classFrom ?? 'decoder';
  // the class head's index of each answer class (ANSWER_CLASSES order)
  const headIndex = ANSWER_CLASSES.map((c) => card.decoder.classHead?.indexOf(c) ?? -1);
  if (classFrom !== 'decoder' && headIndex.includes(-1))
    throw new WorkbenchError(
      'invalid_input',
      `VLM card ${dir} picks the class by its class head but decoder.classHead does not name every answer class (${ANSWER_CLASSES.join(', ')}).`,
    );
  const pixels = VLM_IMAGE.width * VLM_IMAGE.height;

  async function encode(images: readonly Uint8Array[]) {
    const data = new Float32Array(images.length * pixels);
    images.forEach((img, b) => {
      if (img.length !== pixels)
        throw new WorkbenchError('invalid_input', `Plot ${b} has ${img.length} pixels, the model reads ${pixels} (1000×150).`);
      for (let i = 0; i < pixels; i++) data[b * pixels + i] = img[i] / 255;
    });
    const out = await encoder.run({
      image: new ort.Tensor('float32', data, [images.length, 1, VLM_IMAGE.height, VLM_IMAGE.width]),
    });
    if (classFrom !== 'decoder' && out.class_logits === undefined)
      throw new WorkbenchError('invalid_input', `VLM encoder of ${dir} has no class_logits output, which its card asks for.`);
    return {
      crossK: out.cross_k,
      crossV: out.cross_v,
      locKeys: out.loc_keys,
      classLogits: out.class_logits?.data as Float32Array | undefined,
    };
  }

  /**
   * The class token after <class> when the card picks it with the class head (alone or summed with the
   * decoder's): 'normal' exactly when the answer has no interval (training/vlm/vlm_model.py pick_class).
   */
  function pickClass(logits: Float32Array, row: number, head: Float32Array, b: number, hasInterval: boolean): number {
    const width = card.decoder.classHead?.length ?? 0;
    const fromHead = logSoftmax(headIndex.map((i) => head[b * width + i]));
    const fromDecoder = logSoftmax(CLASS_TOKENS.map((t) => logits[row + t]));
    const score = fromHead.map((h, k) =>
      (ANSWER_CLASSES[k] === 'normal') === hasInterval ? -Infinity : classFrom === 'sum' ? h + fromDecoder[k] : h,
    );
    return CLASS_TOKENS[score.indexOf(Math.max(...score))];
  }

  function emptyCache(batch: number) {
    const shape = [layers, batch, heads, maxTokens, headDim];
    return new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape) as ort.Tensor;
  }

  async function step(
    token: number[],
    pos: number,
    cacheK: ort.Tensor,
    cacheV: ort.Tensor,
    cross: { crossK: ort.Tensor; crossV: ort.Tensor; locKeys: ort.Tensor },
  ) {
    const out = await decoder.run({
      token: new ort.Tensor('int64', BigInt64Array.from(token.map(BigInt)), [token.length]),
      pos: new ort.Tensor('int64', BigInt64Array.from([BigInt(pos)]), [1]),
      cache_k: cacheK,
      cache_v: cacheV,
      cross_k: cross.crossK,
      cross_v: cross.crossV,
      loc_keys: cross.locKeys,
    });
    return { logits: out.logits.data as Float32Array, cacheK: out.next_cache_k, cacheV: out.next_cache_v };
  }

  return {
    id: `${card.name}@${card.version}`,
    dir,
    card,
    async generate(images, o = {}) {
      const budget = Math.min(maxTokens, Math.max(1, Math.floor(o.maxTokens ?? maxTokens)));
      const b = images.length;
      if (b === 0) return [];
      throwIfAborted(o.signal, 'The VLM');
      const cross = await encode(images);
      let cacheK: ort.Tensor = emptyCache(b);
      let cacheV: ort.Tensor = emptyCache(b);
      let token = new Array<number>(b).fill(bos);
      const out: number[][] = images.map(() => []);
      const done = new Array<boolean>(b).fill(false);
      const hasInterval = new Array<boolean>(b).fill(false);
      const grammars = images.map(() => (o.constrained === false ? null : new AnswerGrammar()));
      for (let pos = 0; pos < budget && done.includes(false); pos++) {
        throwIfAborted(o.signal, 'The VLM');
        const r = await step(token, pos, cacheK, cacheV, cross);
        cacheK = r.cacheK;
        cacheV = r.cacheV;
        token = token.map((_, k) => {
          const row = k * VOCAB.length;
          const allowed = grammars[k]?.allowed();
          let best = allowed ? allowed[0] : 0;
          for (const v of allowed ?? VOCAB.keys()) if (r.logits[row + v] > r.logits[row + best]) best = v;
          if (token[k] >= LOC0) hasInterval[k] = true;
          if (classFrom !== 'decoder' && cross.classLogits && token[k] === CLASS_OPEN)
            best = pickClass(r.logits, row, cross.classLogits, k, hasInterval[k]);
          grammars[k]?.push(best);
          if (!done[k]) {
            if (best === eos) done[k] = true;
            else out[k].push(best);
          }
          return best;
        });
      }
      return out.map((tokens, k) => ({ text: decode(tokens), tokens, finishReason: done[k] ? 'stop' : 'length' }));
    },
    async stepLogits(image, tokens) {
      const cross = await encode([image]);
      let cacheK: ort.Tensor = emptyCache(1);
      let cacheV: ort.Tensor = emptyCache(1);
      const all: Float32Array[] = [];
      for (let pos = 0; pos < tokens.length; pos++) {
        const r = await step([tokens[pos]], pos, cacheK, cacheV, cross);
        cacheK = r.cacheK;
        cacheV = r.cacheV;
        all.push(Float32Array.from(r.logits));
      }
      return all;
    },
    async classLogits(image) {
      const cross = await encode([image]);
      return cross.classLogits ? Float32Array.from(cross.classLogits) : null;
    },
    async release() {
      await encoder.release();
      await decoder.release();
    },
  };
}
