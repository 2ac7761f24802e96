import { RISK_POLICY_FIELDS, type RiskPolicy } from '../../../shared/domain/risk';

export type RiskPolicyField = keyof RiskPolicy;

export interface RiskPolicyProblems {
  /** The core's words for each field it named. */
  fields: Partial<Record<RiskPolicyField, string>>;
  /** What could not be tied to a field, for the form as a whole; null when everything was. */
  rest: string | null;
}

const FIELDS = Object.keys(RISK_POLICY_FIELDS) as RiskPolicyField[];

/** `policy.staleDays: ` or `policy.privilegedNamePatterns.2: `, the path dispatch puts before each issue. */
const ISSUE_PATH = /(?:^|\s)policy\.(\w+)[.\d]*: /g;

function isField(name: string): name is RiskPolicyField {
  return (FIELDS as string[]).includes(name);
}

function add(problems: RiskPolicyProblems, field: RiskPolicyField, message: string): void {
  const existing = problems.fields[field];
  if (existing?.includes(message)) return;
  problems.fields[field] = existing ? `${existing} ${message}` : message;
}

/**
 * Splits an INVALID_INPUT message from `policy.update` into one message per field, so each is shown
 * next to the field it names. The core names fields in the form's words; dispatch also prefixes each
 * issue with its path, which says the field exactly and is not shown.
 */
export function riskPolicyProblems(message: string): RiskPolicyProblems {
  const problems: RiskPolicyProblems = { fields: {}, rest: null };
  const paths = [...message.matchAll(ISSUE_PATH)];
  if (paths.length > 0) {
    const lead = message.slice(0, paths[0]!.index).trim();
    const leftover: string[] = lead ? [lead] : [];
    paths.forEach((path, index) => {
      const start = path.index + path[0].length;
      const end = index + 1 < paths.length ? paths[index + 1]!.index : message.length;
      const text = message.slice(start, end).trim();
      if (isField(path[1]!)) add(problems, path[1], text);
      else leftover.push(text);
    });
    problems.rest = leftover.length > 0 ? leftover.join(' ') : null;
    return problems;
  }
  // Without paths (a policy refused when written), the field's label in the message names it.
  for (const field of FIELDS) {
    if (message.includes(RISK_POLICY_FIELDS[field].label)) add(problems, field, message);
  }
  if (Object.keys(problems.fields).length === 0) problems.rest = message;
  return problems;
}
