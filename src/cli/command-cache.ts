// `edgeopt cache info|gc`: what the local store holds, and cleaning it.
import { cacheInfo, collectGarbage } from '../cache/cache-maintenance.js';
import { ensureWritableDir } from '../cache/writable-dir.js';
import { EdgeoptError, EXIT } from '../errors.js';
import { loadProjectConfig } from '../recipe/index.js';
import type { CliArgs } from './args.js';
import { cacheRootOf } from './project-session.js';

export async function runCache(args: CliArgs): Promise<number> {
  const { root, config } = await loadProjectConfig(process.cwd());
  const cacheRoot = cacheRootOf(root, config);
  const sub = args.targets[0] ?? 'info';
  if (sub === 'info') {
    const info = await cacheInfo(cacheRoot);
    if (args.json) process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    else process.stdout.write(`${info.root}\n  ${info.actions} action record(s), ${info.blobs} blob(s), ${(info.blobBytes / 1e6).toFixed(1)} MB\n`);
    return EXIT.ok;
  }
  if (sub === 'gc') {
    await ensureWritableDir(cacheRoot, 'cache folder', 'run gc as the user that owns the cache, or make it writable');
    const r = await collectGarbage(cacheRoot, args.maxAgeDays);
    if (args.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else process.stdout.write(`removed ${r.removedActions} record(s) unused for ${args.maxAgeDays} day(s) and ${r.removedBlobs} blob(s); freed ${(r.freedBytes / 1e6).toFixed(1)} MB\n`);
    return EXIT.ok;
  }
  throw new EdgeoptError({ code: 'E_USAGE', kind: 'usage', message: `unknown cache command "${sub}"`, hint: 'use `edgeopt cache info` or `edgeopt cache gc --max-age 30`' });
}
