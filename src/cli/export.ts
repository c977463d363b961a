import type { Command } from 'commander';
import { crnHint, parseCrn } from '../cases/crn.ts';
import { buildCaseRecord, caseRecordMarkdown } from '../export/index.ts';
import { config, ExitError, type Io, withStorage } from './runtime.ts';

/** `oversight export CRN --format json|md`: the case's oversight record, to stdout. */
export function registerExport(program: Command, io: Io): void {
  program
    .command('export')
    .argument('<crn>', 'the case reference number, e.g. X123456')
    .option('--format <format>', 'json (for integrations) or md (for people)', 'json')
    .description("print a case's oversight record: requests, records, actions and audit trail")
    .action(async (typed: string, options: { format: string }) => {
      const crn = parseCrn(typed);
      if (!crn) throw new ExitError(`not a CRN: a CRN is ${crnHint}`, 2);
      if (options.format !== 'json' && options.format !== 'md') {
        throw new ExitError(`unknown format ${options.format}: use --format json or --format md`, 2);
      }
      const cfg = config();
      await withStorage(cfg, async (storage) => {
        await storage.check();
        const record = await buildCaseRecord(storage.db, crn);
        io.out(
          options.format === 'md' ? caseRecordMarkdown(record).trimEnd() : JSON.stringify(record, null, 2),
        );
      });
    });
}
