import { findTrainingPython, type PythonInfo } from '../../main/finetune';

/**
 * The Python the training tests run (torch + onnx), as the app finds it. Without one those tests skip and
 * say why; CI sets TSAD_REQUIRE_TORCH=1 (it installs python3-torch), so there a missing torch fails the
 * run instead of silently skipping the real trainer.
 */
export async function trainingPython(): Promise<PythonInfo> {
  const python = await findTrainingPython();
  if (!python.ok && process.env.TSAD_REQUIRE_TORCH === '1')
    throw new Error(`TSAD_REQUIRE_TORCH=1 but no Python with torch and onnx was found: ${python.reason}`);
  return python;
}
