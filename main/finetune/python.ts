import { execFile } from 'node:child_process';

/** A Python interpreter that can run training/ (torch and onnx importable), or why none was found. */
export type PythonInfo = { ok: true; python: string; torch: string } | { ok: false; reason: string };

const PROBE = 'import torch, onnx; print("TORCH", torch.__version__)';
const PROBE_TIMEOUT_MS = 120_000;

function probe(python: string): Promise<PythonInfo> {
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE], { timeout: PROBE_TIMEOUT_MS, windowsHide: true }, (err, stdout, stderr) => {
      const version = /TORCH (\S+)/.exec(stdout)?.[1];
      if (!err && version !== undefined) resolve({ ok: true, python, torch: version });
      else {
        const why = stderr.trim().split('\n').pop() || (err as Error | null)?.message || 'no output';
        resolve({ ok: false, reason: `${python}: ${why}` });
      }
    });
  });
}

let cached: Promise<PythonInfo> | undefined;

/**
 * The first of $TSAD_PYTHON, /usr/bin/python3, python3 that imports torch and onnx (TSAD_PYTHON=none: none,
 * e.g. to get the printed command instead of a training job). The answer is cached
 * for the process (pass `refresh` to probe again, e.g. after the user installed torch).
 */
export function findTrainingPython(refresh = false): Promise<PythonInfo> {
  if (cached === undefined || refresh) {
    cached = (async (): Promise<PythonInfo> => {
      if (process.env.TSAD_PYTHON === 'none')
        return { ok: false, reason: 'training in the app is turned off (TSAD_PYTHON=none)' };
      const candidates = [process.env.TSAD_PYTHON, '/usr/bin/python3', 'python3'].filter(
        (p, i, all): p is string => p !== undefined && p !== '' && all.indexOf(p) === i,
      );
      const reasons: string[] = [];
      for (const python of candidates) {
        const info = await probe(python);
        if (info.ok) return info;
        reasons.push(info.reason);
      }
      return { ok: false, reason: `No Python with torch and onnx found (${reasons.join('; ')}).` };
    })();
  }
  return cached;
}
