import { basename, resolve } from 'node:path';

export type Assets = Map<string, string>;

const client = resolve(import.meta.dirname, 'client');

/**
 * Bundles the page's browser script with esbuild on first request and keeps it in memory: no build
 * step at install. `@microsoft/teams-js` goes in `teams.js`, which only loads inside Teams, so a
 * plain browser never fetches it (nor the Office CDN list it asks for).
 */
export function createAssetBundler(): () => Promise<Assets> {
  let built: Promise<Assets> | undefined;
  return () => {
    built ??= bundle().catch((error: unknown) => {
      built = undefined; // let the next request try again
      throw error;
    });
    return built;
  };
}

async function bundle(): Promise<Assets> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    // teams.ts is an entry of its own (teams.js), which main.js imports dynamically, only inside Teams.
    entryPoints: { main: resolve(client, 'main.ts'), teams: resolve(client, 'teams.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: '/assets',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((f) => [basename(f.path), f.text]));
}
