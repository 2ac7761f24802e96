import { describe, expect, it } from 'vitest';
import {
  decodePolicyDocument,
  isAwsManagedPolicyArn,
  judgeAwsManagedPolicy,
  judgePolicyDocument,
  summarizeTrustPolicy,
} from '../../../electron/core/connectors/aws/aws-policy-documents';

const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));
const allow = (statement: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Resource: '*', ...statement }],
});

describe('IAM policy documents', () => {
  it('reads the URL-encoded JSON IAM returns, and plain JSON too', () => {
    const document = allow({ Action: 's3:GetObject' });
    expect(decodePolicyDocument(encoded(document))).toEqual(document);
    expect(decodePolicyDocument(JSON.stringify(document))).toEqual(document);
    expect(decodePolicyDocument('%E0%A4%A')).toBeNull();
    expect(decodePolicyDocument('not json')).toBeNull();
    expect(decodePolicyDocument(undefined)).toBeNull();
  });

  it.each([
    ['*', true],
    ['*:*', true],
    ['iam:*', true],
    ['IAM:*', true],
    ['s3:*', false],
    ['ec2:Describe*', false],
    ['sqs:ReceiveMessage', false],
  ])('an Allow of %s is privileged: %s', (action, privileged) => {
    expect(judgePolicyDocument(allow({ Action: action })).privileged).toBe(privileged);
  });

  it('lists whole-service wildcards, not partial ones, and reads a single statement object', () => {
    const verdict = judgePolicyDocument({
      Statement: { Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*', 'logs:*'], Resource: '*' },
    });
    expect(verdict).toEqual({ privileged: false, wildcardActions: ['s3:*', 'logs:*'] });
  });

  it('ignores Deny statements, and treats Allow + NotAction as privileged', () => {
    expect(judgePolicyDocument({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] })).toEqual({
      privileged: false,
      wildcardActions: [],
    });
    expect(judgePolicyDocument(allow({ NotAction: ['iam:*', 'organizations:*'] }))).toEqual({
      privileged: true,
      wildcardActions: ['NotAction iam:*, organizations:*'],
    });
  });

  it('judges AWS-managed policies by name', () => {
    expect(isAwsManagedPolicyArn('arn:aws:iam::aws:policy/AdministratorAccess')).toBe(true);
    expect(isAwsManagedPolicyArn('arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess')).toBe(true);
    expect(isAwsManagedPolicyArn('arn:aws:iam::731846209152:policy/s3-data-writer')).toBe(false);
    expect(judgeAwsManagedPolicy('AdministratorAccess')).toEqual({
      privileged: true,
      wildcardActions: ['*'],
    });
    expect(judgeAwsManagedPolicy('IAMFullAccess').privileged).toBe(true);
    expect(judgeAwsManagedPolicy('ReadOnlyAccess').privileged).toBe(false);
  });
});

describe('IAM trust policies', () => {
  const trust = (principal: unknown, extra: Record<string, unknown> = {}) => ({
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }],
  });

  it("tells other accounts from the role's own, in ARNs and bare account ids", () => {
    const summary = summarizeTrustPolicy(
      trust({
        AWS: ['arn:aws:iam::111122223333:root', '444455556666', 'arn:aws:iam::731846209152:role/ci'],
      }),
      '731846209152',
    );
    expect(summary.externalAccounts).toEqual(['111122223333', '444455556666']);
    expect(summary.awsPrincipals).toHaveLength(3);
    expect(summary.anyPrincipal).toBe(false);
  });

  it('flags any principal, written as "*" or {"AWS": "*"}, and notes conditions', () => {
    expect(summarizeTrustPolicy(trust('*'), null).anyPrincipal).toBe(true);
    const summary = summarizeTrustPolicy(
      trust({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }),
      null,
    );
    expect(summary).toMatchObject({ anyPrincipal: true, conditions: true, awsPrincipals: [] });
  });

  it('lists services and federated providers', () => {
    const summary = summarizeTrustPolicy(
      {
        Statement: [
          { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] } },
          {
            Effect: 'Allow',
            Principal: { Federated: 'arn:aws:iam::731846209152:saml-provider/Okta' },
            Action: 'sts:AssumeRoleWithSAML',
          },
          { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::999999999999:root' } },
        ],
      },
      '731846209152',
    );
    expect(summary).toMatchObject({
      services: ['ec2.amazonaws.com', 'lambda.amazonaws.com'],
      federated: ['arn:aws:iam::731846209152:saml-provider/Okta'],
      externalAccounts: [],
    });
  });
});
