/** A person from the HR or directory roster; owners of identities are resolved against these. */
export type PersonStatus = 'active' | 'terminated';

export interface NormalizedPerson {
  /** Lower-cased e-mail: the roster's key. */
  email: string;
  name: string | null;
  employeeId: string | null;
  department: string | null;
  managerEmail: string | null;
  status: PersonStatus;
  /** YYYY-MM-DD, or null. A future date means the person is still active until then (notice period). */
  terminationDate: string | null;
  /** Other handles the directory knows the person by (UPN, AD distinguished name), lower-cased. */
  aliases: string[];
}

/** How an owner reference resolved against the roster at an as-of date. */
export type OwnerStatus = 'active' | 'terminated' | 'not-in-roster';
