/**
 * Contract entries of the review domain (see shared/api/contract.ts for the conventions). Each entry:
 * JSDoc saying what it does and which errors it answers, zod input/output, realistic samples.
 */
export const reviewEntries = {} as const;
