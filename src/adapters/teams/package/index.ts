import { type ManifestOptions, teamsManifest } from './manifest.ts';
import { colorIcon, outlineIcon } from './png.ts';
import { zipStore } from './zip.ts';

export { type ManifestOptions, teamsManifest } from './manifest.ts';

/** The Teams app package (manifest.json and its two icons, zipped), ready to upload to Teams. */
export function teamsAppPackage(options: ManifestOptions): Buffer {
  return zipStore([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(teamsManifest(options), null, 2)}\n`) },
    { name: 'color.png', data: colorIcon() },
    { name: 'outline.png', data: outlineIcon() },
  ]);
}
