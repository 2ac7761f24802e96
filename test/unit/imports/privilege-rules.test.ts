import { describe, expect, it } from 'vitest';
import {
  environmentFromName,
  isKubernetesSuperuserGroup,
  isPrivilegedGcpRole,
  isPrivilegedGitHubPermission,
  isPrivilegedGraphPermission,
  isPrivilegedKubernetesGrant,
  isPrivilegedOktaScope,
} from '../../../electron/core/imports/presets/privilege-rules';

describe('Graph application permissions', () => {
  it.each([
    ['Directory.ReadWrite.All', true],
    ['Directory.Read.All', true],
    ['RoleManagement.ReadWrite.Directory', true],
    ['AppRoleAssignment.ReadWrite.All', true],
    ['Application.ReadWrite.OwnedBy', true],
    ['User.ReadWrite.All', true],
    ['Sites.FullControl.All', true],
    ['Mail.Send', true],
    ['full_access_as_app', true],
    ['User.Read.All', false],
    ['AuditLog.Read.All', false],
    ['Orders.Write', false],
    ['WindowsAzureActiveDirectoryIntegratedApp', false],
  ])('%s privileged: %s', (permission, expected) => {
    expect(isPrivilegedGraphPermission(permission)).toBe(expected);
  });
});

describe('Kubernetes grants', () => {
  it('cluster-admin is privileged however it is bound', () => {
    expect(isPrivilegedKubernetesGrant({ roleName: 'cluster-admin', clusterWide: true })).toBe(true);
    expect(isPrivilegedKubernetesGrant({ roleName: 'cluster-admin', clusterWide: false })).toBe(true);
  });

  it('admin and edit are privileged cluster-wide, not within one namespace', () => {
    for (const role of ['admin', 'edit']) {
      expect(isPrivilegedKubernetesGrant({ roleName: role, clusterWide: true })).toBe(true);
      expect(isPrivilegedKubernetesGrant({ roleName: role, clusterWide: false })).toBe(false);
    }
    expect(isPrivilegedKubernetesGrant({ roleName: 'view', clusterWide: true })).toBe(false);
  });

  it('judges known rules: wildcards, escalation verbs and cluster-wide secret reads', () => {
    const grant = (rules: object[], clusterWide = false) =>
      isPrivilegedKubernetesGrant({ roleName: 'custom', clusterWide, rules });
    expect(grant([{ verbs: ['*'], resources: ['deployments'] }])).toBe(true);
    expect(grant([{ verbs: ['create', 'delete'], resources: ['*'] }])).toBe(true);
    expect(grant([{ verbs: ['get', 'list'], resources: ['*'] }])).toBe(false);
    expect(grant([{ verbs: ['bind'], resources: ['clusterroles'] }])).toBe(true);
    expect(grant([{ verbs: ['impersonate'], resources: ['serviceaccounts'] }])).toBe(true);
    expect(grant([{ verbs: ['get'], resources: ['secrets'] }], true)).toBe(true);
    expect(grant([{ verbs: ['get'], resources: ['secrets'] }], false)).toBe(false);
    expect(grant([{ verbs: ['get', 'list', 'watch'], resources: ['pods'] }], true)).toBe(false);
    expect(grant([{ verbs: ['*'], nonResourceURLs: ['*'] }])).toBe(true);
  });

  it('knows the group that bypasses RBAC', () => {
    expect(isKubernetesSuperuserGroup('system:masters')).toBe(true);
    expect(isKubernetesSuperuserGroup('system:authenticated')).toBe(false);
  });
});

describe('GitHub App permissions', () => {
  it.each([
    ['administration', 'write', 'selected', true],
    ['organization_administration', 'write', 'all', true],
    ['secrets', 'write', 'selected', true],
    ['workflows', 'write', 'selected', true],
    ['members', 'write', 'all', true],
    ['members', 'read', 'all', false],
    ['administration', 'read', 'all', false],
    ['contents', 'write', 'all', true],
    ['contents', 'write', 'selected', false],
    ['pull_requests', 'write', 'all', false],
    ['organization_projects', 'admin', 'all', false],
  ])('%s:%s on %s repositories privileged: %s', (permission, level, selection, expected) => {
    expect(isPrivilegedGitHubPermission(permission, level, selection)).toBe(expected);
  });
});

describe('Okta scopes and GCP roles', () => {
  it.each([
    ['okta.users.manage', true],
    ['okta.groups.manage', true],
    ['okta.apps.manage', true],
    ['okta.users.read', false],
    ['okta.users.manage.self', false],
    ['okta.logs.read', false],
  ])('Okta %s privileged: %s', (scope, expected) => {
    expect(isPrivilegedOktaScope(scope)).toBe(expected);
  });

  it.each([
    ['roles/owner', true],
    ['roles/editor', true],
    ['roles/iam.serviceAccountTokenCreator', true],
    ['roles/iam.securityAdmin', true],
    ['roles/storage.admin', true],
    ['roles/viewer', false],
    ['roles/bigquery.dataViewer', false],
    ['roles/pubsub.publisher', false],
  ])('GCP %s privileged: %s', (role, expected) => {
    expect(isPrivilegedGcpRole(role)).toBe(expected);
  });
});

describe('environmentFromName', () => {
  it.each([
    ['nwl-prod-eks', 'production'],
    ['nwl-prod-data', 'production'],
    ['Terraform Cloud - prod', 'production'],
    ['Terraform Cloud - nonprod', 'non-production'],
    ['shared-non-prod', 'non-production'],
    ['aks-staging-weu', 'staging'],
    ['payments_dev', 'development'],
    ['uat-portal', 'test'],
    ['product-catalog', null],
    ['nwl-customer-portal-api', null],
    [null, null],
  ])('%s -> %s', (name, expected) => {
    expect(environmentFromName(name)).toBe(expected);
  });
});
