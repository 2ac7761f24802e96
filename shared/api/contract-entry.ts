import { z } from 'zod';

/**
 * One capability of the contract: its input, its output and realistic samples. A test round-trips
 * each sample through JSON and both schemas, so a schema that stops being JSON-safe fails at once.
 */
export interface ContractEntry<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  samples: Array<{ input: z.input<I>; output: z.input<O> }>;
}

export function entry<I extends z.ZodType, O extends z.ZodType>(e: ContractEntry<I, O>): ContractEntry<I, O> {
  return e;
}

export const noInput = z.object({}).strict();
