import { z } from 'zod';
import { WorkbenchError } from '../../common/errors';

const dim = z.union([z.number().int(), z.string()]);
const tensorSpec = z
  .object({
    name: z.string().min(1),
    dtype: z.literal('float32'),
    shape: z.array(dim),
    labels: z.array(z.string()).optional(),
  })
  .loose();

/** card.json beside every model.onnx (written by training/train.py and finetune.py). */
export const modelCardSchema = z
  .object({
    cardFormat: z.literal('tsad-model-card-v1'),
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case name of letters, digits, ".", "_" or "-"'),
    version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._+-]*$/, 'version of letters, digits, ".", "_", "+" or "-"'),
    description: z.string().optional(),
    inputs: z.array(tensorSpec).length(1),
    outputs: z.array(tensorSpec).min(1),
    preprocessing: z
      .object({
        kind: z.literal('tsad-window-v1'),
        window: z.number().int().min(8),
        defaultStride: z.number().int().min(1),
        /** feature values beyond ±10: clipped (absent, 'clip') or log-compressed ('log'); preprocess.ts */
        tail: z.enum(['clip', 'log']).optional(),
      })
      .loose(),
    onnx: z
      .object({
        file: z.string().min(1),
        sha256: z.string().optional(),
        bytes: z.number().optional(),
        opset: z.number().optional(),
      })
      .loose(),
    /** score post-processing the model detector applies by default (postprocess.ts) */
    postprocessing: z
      .object({
        smooth: z.enum(['none', 'period']).optional(),
        /** block sizes scored besides the series itself (multiscale.ts); absent = [1] */
        scales: z.array(z.number().int().min(1).max(4096)).min(1).optional(),
      })
      .loose()
      .optional(),
    parent: z.string().nullable().optional(),
    metrics: z.record(z.string(), z.unknown()).optional(),
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export type ModelCard = z.infer<typeof modelCardSchema>;

/** Validates parsed card JSON; `where` (a path) names the file in the error. */
export function parseModelCard(json: unknown, where: string): ModelCard {
  const result = modelCardSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = issue?.path.join('.') ?? '';
    throw new WorkbenchError(
      'parse_error',
      `Model card ${where} is invalid at '${at}': ${issue?.message ?? 'unknown problem'}.`,
      {
        path: where,
        field: at,
      },
    );
  }
  return result.data;
}

/** The type labels of the card's type-distribution output, if it has one. */
export function typeLabels(card: ModelCard): string[] | undefined {
  return card.outputs.find((o) => o.labels !== undefined)?.labels;
}
