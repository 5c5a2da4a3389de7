import { findTrainingPython, type PythonInfo } from '../../main/finetune';
import { notice } from './notices';

/**
 * The Python the training tests run (torch + onnx), as the app finds it. Without one those tests skip and
 * say why; CI sets TSAD_REQUIRE_TORCH=1 (it installs python3-torch), so there a missing torch fails the
 * run instead of silently skipping the real trainer.
 */
export async function trainingPython(): Promise<PythonInfo> {
  const python = await findTrainingPython();
  if (!python.ok && process.env.TSAD_REQUIRE_TORCH === '1')
    throw new Error(`TSAD_REQUIRE_TORCH=1 but no Python with torch and onnx was found: ${python.reason}`);
  if (!python.ok)
    notice(
      'python-torch',
      `TRAINING TESTS SKIPPED (the real PyTorch trainer did not run): ${python.reason}. ` +
        `Install python3-torch and python3-onnx, or set TSAD_PYTHON; TSAD_REQUIRE_TORCH=1 makes this an error.`,
    );
  return python;
}
