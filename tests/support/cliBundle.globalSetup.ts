/**
 * vitest globalSetup: `bin/smets1.mjs` bundled once per test run (esbuild, which tsx brings) into a temporary
 * directory, for the tests that run `smets1` as a child process (tests/support/cli.ts `SMETS1_BIN`).
 *
 * Why: `node bin/smets1.mjs` registers tsx and loads a few hundred TypeScript modules through its loader hooks at
 * every start, about 1 s of CPU on the 2-core CI box, and the suite starts `smets1` a few hundred times. The bundle
 * starts in about a third of that.
 *
 * It is the same program: the entry point is bin/smets1.mjs itself (its exit codes, EPIPE and uncaught-error
 * handling), built from the same sources at the start of every run, with only tsx's `register()` made a no-op (there
 * is no TypeScript left to load). Each module keeps its own `import.meta.url` (the source file's), so the files it
 * reads next to itself (schemas, the xmllint thread, report assets, package.json, fleet/calibration.yaml) are the
 * checkout's, and the packages stay external, loaded from the checkout's node_modules (linked beside the bundle).
 * tests/cli/cli.test.ts still runs bin/smets1.mjs exactly as a user does. The emulator child that `--link pty` starts
 * (harness/run/benchFor.ts) is this bundle too during a test run (SMETS1_TEST_BUNDLE, set here), bin/smets1.mjs
 * otherwise.
 *
 * In watch mode the sources change under a running vitest, so there the tests run bin/smets1.mjs itself.
 */
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Loader, type Plugin } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `smets1` command the CLI tests start: the run's bundle of bin/smets1.mjs, or bin/smets1.mjs itself. */
    smets1Bin: string;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = join(ROOT, 'bin/smets1.mjs');
const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mjs': 'js', '.js': 'js', '.cjs': 'js' };

/** tsx's `register()` becomes a no-op, and each checkout module keeps its own import.meta. */
const sameProgram: Plugin = {
  name: 'smets1-same-program',
  setup(bundle) {
    bundle.onResolve({ filter: /^tsx\/esm\/api$/ }, () => ({ path: 'tsx/esm/api', namespace: 'no-tsx' }));
    bundle.onLoad({ filter: /.*/, namespace: 'no-tsx' }, () => ({
      contents: 'export function register() {}',
      loader: 'js',
    }));
    bundle.onLoad({ filter: /\.(ts|mjs|js|cjs)$/ }, async ({ path }) => {
      const url = pathToFileURL(path).href;
      const source = await readFile(path, 'utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(url))
        .replaceAll('import.meta.dirname', JSON.stringify(join(path, '..')))
        .replaceAll('import.meta.filename', JSON.stringify(path));
      return { contents, loader: LOADERS[extname(path)] };
    });
  },
};

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (project.vitest.config.watch) {
    project.provide('smets1Bin', ENTRY);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'smets1-cli-bundle-'));
  try {
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const outfile = join(dir, 'smets1.mjs');
    await build({
      entryPoints: [ENTRY],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
      plugins: [sameProgram],
    });
    project.provide('smets1Bin', outfile);
    // and for the emulator child `smets1 run --link pty` starts from within the test workers (harness/run/benchFor.ts
    // reads this variable; the workers inherit the environment of this process)
    process.env.SMETS1_TEST_BUNDLE = outfile;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return () => rm(dir, { recursive: true, force: true });
}
