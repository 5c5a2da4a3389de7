import { z } from 'zod';
import { WorkbenchError } from '../../../common/errors';
import { readJsonFile } from '../json-file';

/** card.json of a VLM folder (written by training/vlm/train.py); `kind: 'vlm'` keeps it out of the window-model list. */
export const vlmCardSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._+-]*$/),
    kind: z.literal('vlm'),
    description: z.string().optional(),
    image: z.object({ width: z.number().int(), height: z.number().int(), style: z.literal('anomllm') }).loose(),
    window: z.number().int().min(8),
    files: z.object({ encoder: z.string().min(1), decoder: z.string().min(1) }),
    sha256: z.object({ encoder: z.string(), decoder: z.string() }).optional(),
    decoder: z.object({
      layers: z.number().int().min(1),
      heads: z.number().int().min(1),
      headDim: z.number().int().min(1),
      maxTokens: z.number().int().min(1),
      visualTokens: z.number().int().min(1),
      vocab: z.number().int().min(1).optional(),
      bos: z.number().int(),
      eos: z.number().int(),
      /** 'columns' (1.1.0) or 'conv' (1.0.0); informational */
      encoder: z.string().optional(),
      /** how the class after <class> is chosen: the decoder's logits, the encoder's class head, or both summed */
      classFrom: z.enum(['decoder', 'head', 'sum']).optional(),
      /** the class head's output order (the encoder's class_logits) */
      classHead: z.array(z.string()).optional(),
    }),
    parameters: z.number().optional(),
    training: z.record(z.string(), z.unknown()).optional(),
    metrics: z.record(z.string(), z.unknown()).optional(),
    parity: z.string().optional(),
  })
  .loose();

export type VlmCard = z.infer<typeof vlmCardSchema>;

/** Is this parsed card JSON a VLM card (so the window-model registry leaves it alone)? */
export function isVlmCardJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === 'vlm';
}

/** Reads and validates a VLM card; every problem names the file and the field. */
export async function readVlmCard(path: string): Promise<VlmCard> {
  const json = await readJsonFile(path, 'VLM card');
  const result = vlmCardSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = issue?.path.join('.') ?? '';
    throw new WorkbenchError('parse_error', `VLM card ${path} is invalid at '${at}': ${issue?.message ?? 'unknown problem'}.`, {
      path,
      field: at,
    });
  }
  return result.data;
}
