import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { type ManifestOptions, teamsManifest } from './manifest.ts';

export { type ManifestOptions, teamsManifest } from './manifest.ts';

/** A fixed time for every entry keeps the package byte-for-byte reproducible. */
const mtime = new Date(2026, 0, 1);

const icon = (name: string) => readFileSync(new URL(`./icons/${name}`, import.meta.url));

/**
 * The Teams app package (manifest.json and its two icons), ready to upload to Teams. Entries are
 * stored, not deflated: the icons are already compressed and the manifest is small.
 */
export function teamsAppPackage(options: ManifestOptions): Buffer {
  const zip = zipSync(
    {
      'manifest.json': new TextEncoder().encode(`${JSON.stringify(teamsManifest(options), null, 2)}\n`),
      'color.png': icon('color.png'),
      'outline.png': icon('outline.png'),
    },
    { level: 0, mtime },
  );
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
}
