// The versions that enter every cache key: edgeopt's own and the onnxruntime-node that will run the models.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EngineVersions } from '../plan/cache-key.js';

const require = createRequire(import.meta.url);

function versionOf(pkgJson: string): string {
  return (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
}

let cached: EngineVersions | undefined;

export function engineVersions(): EngineVersions {
  cached ??= {
    edgeopt: versionOf(new URL('../../package.json', import.meta.url).pathname),
    onnxruntime: versionOf(require.resolve('onnxruntime-node/package.json')),
  };
  return cached;
}
