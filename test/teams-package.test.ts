import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { teamsManifest } from '../src/adapters/teams/package/index.ts';
import { runCli } from './support/cli.ts';

const appId = '00000000-0000-4000-8000-0000000000a1';
const require = createRequire(import.meta.url);

/** Reads a stored (uncompressed) zip through its central directory, as Teams does. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    expect(zip.readUInt16LE(at + 10)).toBe(0); // stored
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    files.set(name, zip.subarray(local, local + size));
    at += 46 + nameLength;
  }
  return files;
}

/** Width, height and colour type of a PNG, after checking its signature; decodes its pixels too. */
function png(data: Buffer): { width: number; height: number; colorType: number; pixels: Buffer } {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const idat = data.indexOf('IDAT');
  const length = data.readUInt32BE(idat - 4);
  return {
    width: data.readUInt32BE(16),
    height: data.readUInt32BE(20),
    colorType: data[25]!,
    pixels: inflateSync(data.subarray(idat + 4, idat + 4 + length)),
  };
}

describe('oversight teams package', () => {
  it('writes the Teams app package: manifest with the bot, its commands and the tab, and two icons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-teams-'));
    const out = join(dir, 'app.zip');
    const result = await runCli(['teams', 'package', '--out', out], {
      TEAMS_APP_ID: appId,
      TEAMS_APP_PASSWORD: 'x',
      PUBLIC_URL: 'https://oversight.example.org',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(out);

    const files = unzip(readFileSync(out));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({
      manifestVersion: '1.17',
      id: appId,
      icons: { color: 'color.png', outline: 'outline.png' },
      bots: [{ botId: appId, scopes: expect.arrayContaining(['team', 'personal']) }],
      staticTabs: [{ contentUrl: 'https://oversight.example.org/tab/record', scopes: ['personal'] }],
      validDomains: ['oversight.example.org'],
      webApplicationInfo: { id: appId, resource: `api://oversight.example.org/${appId}` },
    });
    const commands = manifest.bots[0].commandLists[0].commands;
    expect(commands.map((c: { title: string }) => c.title)).toEqual(
      expect.arrayContaining(['refer', 'status', 'done', 'confirm', 'help']),
    );
    for (const c of commands) expect(c.description.length).toBeLessThanOrEqual(128);

    const color = png(files.get('color.png')!);
    expect([color.width, color.height, color.colorType]).toEqual([192, 192, 6]);
    expect(color.pixels.length).toBe((192 * 4 + 1) * 192);
    const outline = png(files.get('outline.png')!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // The outline icon is white on transparent, as Teams requires.
    const alphas = new Set<number>();
    const colours = new Set<string>();
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const p = y * (32 * 4 + 1) + 1 + x * 4;
        alphas.add(outline.pixels[p + 3]!);
        if (outline.pixels[p + 3]) colours.add(outline.pixels.subarray(p, p + 3).toString('hex'));
      }
    }
    expect([...alphas].sort()).toEqual([0, 255]);
    expect([...colours]).toEqual(['ffffff']);
  });

  it("writes a manifest that Microsoft's published schema for its manifestVersion accepts", () => {
    const manifest = teamsManifest({
      appId,
      publicUrl: 'https://oversight.example.org/',
      version: '1.2.3',
      developerName: 'Probation Digital',
    });
    const path = `@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`;
    // The schema is draft-04; ajv reads it as its default draft once the `$schema` key is gone.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(require.resolve(path), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('refuses without an app id, or without an https public URL, saying what to set', async () => {
    const noId = await runCli(['teams', 'package'], { PUBLIC_URL: 'https://oversight.example.org' });
    expect(noId.code).toBe(1);
    expect(noId.stderr).toMatch(/set TEAMS_APP_ID/);
    const plain = await runCli(['teams', 'package', '--app-id', appId], {
      PUBLIC_URL: 'http://localhost:3000',
    });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/PUBLIC_URL.*https/);
  });
});
