// How to start the bench child: a plain-JS bundle of bench-child.ts, so tsx's loader (~30 MB RSS) is not measured.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ChildCommand {
  /** node arguments before the job JSON */
  args: string[];
  /** 'node': plain node on JavaScript (an esbuild bundle); 'tsx': tsx's loader in the child (adds ~30 MB to its RSS) */
  loader: 'node' | 'tsx';
}

// The minimal slice of esbuild's API used here (esbuild comes with tsx, a dependency; resolved through tsx).
interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: Array<{ text: string }> }>;
}
interface ResolveArgs { path: string; importer: string }
interface PluginBuild {
  onResolve(o: { filter: RegExp }, cb: (a: ResolveArgs) => { path: string; external: boolean } | undefined): void;
}

const require = createRequire(import.meta.url);

function childEntry(): string {
  const ts = fileURLToPath(new URL('./bench-child.ts', import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL('./bench-child.js', import.meta.url));
}

// Packages stay external but are imported by absolute file URL, so the bundle runs from any folder.
const externalPackages = {
  name: 'external-by-url',
  setup(build: PluginBuild): void {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { path: args.path, external: true };
      const resolved = createRequire(args.importer).resolve(args.path);
      return { path: pathToFileURL(resolved).href, external: true };
    });
  },
};

async function bundle(entry: string): Promise<string> {
  const esbuild = createRequire(require.resolve('tsx'))('esbuild') as EsbuildLike;
  const out = await esbuild.build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20',
    write: false, logLevel: 'silent', plugins: [externalPackages],
  });
  const text = out.outputFiles?.[0]?.text;
  if (!text) throw new Error('esbuild produced no output');
  const dir = path.join(os.tmpdir(), 'edgeopt-bench-child');
  const file = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file); // atomic: a concurrent runner never sees half a file
  }
  return file;
}

let memo: Promise<ChildCommand> | undefined;

/** The node arguments that start the bench child; bundled once per process, falling back to tsx's loader. */
export function benchChildCommand(): Promise<ChildCommand> {
  memo ??= (async (): Promise<ChildCommand> => {
    const entry = childEntry();
    if (entry.endsWith('.js')) return { args: [entry], loader: 'node' };
    try {
      return { args: [await bundle(entry)], loader: 'node' };
    } catch {
      return { args: ['--import', pathToFileURL(require.resolve('tsx')).href, entry], loader: 'tsx' };
    }
  })();
  return memo;
}
