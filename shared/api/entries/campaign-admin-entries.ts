/**
 * Contract entries for the campaign owner's work beyond the life cycle: reassigning items and queues,
 * extending the due date, progress for the charts. Conventions as in shared/api/contract.ts.
 */
export const campaignAdminEntries = {} as const;
