/**
 * Contract entries of the evidence domain (see shared/api/contract.ts for the conventions). Each entry:
 * JSDoc saying what it does and which errors it answers, zod input/output, realistic samples.
 */
export const evidenceEntries = {} as const;
