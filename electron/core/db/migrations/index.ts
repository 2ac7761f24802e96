import type { Migration } from '../migrate';
import { migration001Initial } from './001-initial';
import { migration002CampaignsAndDecisionLog } from './002-campaigns-and-decision-log';
import { migration003EvidenceSigner } from './003-evidence-signer';
import { migration004ConnectorProfiles } from './004-connector-profiles';
import { migration005ReviewQueue } from './005-review-queue';
import { migration006IdentitySignals } from './006-identity-signals';
import { migration007ReviewItemsByDecision } from './007-review-items-by-decision';
import { migration008LeanerReviewQueueIndexes } from './008-leaner-review-queue-indexes';
import { migration009IdentityAttributes } from './009-identity-attributes';
import { migration010SlimSignalIndex } from './010-slim-signal-index';
import { migration011SignalIndexByDate } from './011-signal-index-by-date';

/** Every migration, in order. Append; never edit or reorder a shipped one. */
export const migrations: readonly Migration[] = [
  migration001Initial,
  migration002CampaignsAndDecisionLog,
  migration003EvidenceSigner,
  migration004ConnectorProfiles,
  migration005ReviewQueue,
  migration006IdentitySignals,
  migration007ReviewItemsByDecision,
  migration008LeanerReviewQueueIndexes,
  migration009IdentityAttributes,
  migration010SlimSignalIndex,
  migration011SignalIndexByDate,
];
