export {
  buildDigest,
  type Digest,
  type DigestOptions,
  digestCounts,
  isEmptyDigest,
  type SectionName,
  sectionOrder,
} from './build.ts';
export { DIGEST_WORST, digestQuery, FAILED_LOOKBACK_MS } from './query.ts';
export { type DigestReply, digestFor } from './reply.ts';
export {
  type DigestSchedule,
  digestCron,
  digestSchedule,
  nextDigestRuns,
  type SyncResult,
  syncDigestSchedulers,
} from './schedule.ts';
export { type DigestOutcome, type DigestSent, sendDigest, sendDigests } from './send.ts';
export { DIGEST_LINE_MAX, digestReply, renderDigest } from './view.ts';
