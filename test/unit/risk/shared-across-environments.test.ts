import { beforeAll, describe, expect, it } from 'vitest';
import { sharedAcrossEnvironments, type RiskSubject } from '../../../electron/core/risk/risk-signals';
import { DEFAULT_RISK_POLICY } from '../../../shared/domain/risk';
import { fixture, jsonFilesIn, loadPopulation, type Population } from './support/fixture-population';

/**
 * `shared-across-environments` (NHI8 Environment Isolation) needs the whole population. The scenario:
 * the production EKS cluster of the fixtures, and a staging cluster built from the same manifests, so
 * that its service accounts assume the very same AWS roles (IRSA) as production's. Entra (where the
 * prod and nonprod Terraform Cloud apps are properly separate) and the CMDB register (which calls
 * everything Production and repeats names and app ids of identities held elsewhere) are imported too.
 */
const AS_OF = '2026-11-01';
const K8S = 'kubernetes-service-accounts';
let population: Population;

beforeAll(async () => {
  population = await loadPopulation(AS_OF, [
    {
      paths: jsonFilesIn('kubernetes'),
      source: 'eks-prod',
      format: K8S,
      parameters: { clusterName: 'nwl-prod-eks' },
    },
    {
      paths: jsonFilesIn('kubernetes'),
      source: 'eks-staging',
      format: K8S,
      parameters: { clusterName: 'nwl-stg-eks' },
    },
    { paths: jsonFilesIn('entra') },
    { paths: [fixture('cmdb', 'nhi_inventory.xlsx')] },
  ]);
}, 120_000);

function shared(identities: readonly RiskSubject[] = population.identities, asOf = AS_OF) {
  return sharedAcrossEnvironments(identities, asOf, DEFAULT_RISK_POLICY);
}

describe('shared-across-environments', () => {
  it('flags, on both sides, the service accounts of two clusters that assume the same AWS role', () => {
    const irsa = population.identities.filter((i) => typeof i.attributes.awsRoleArn === 'string');
    expect(new Set(irsa.map((i) => i.environment))).toEqual(new Set(['production', 'staging']));
    const signals = shared();
    expect([...signals.keys()].sort((a, b) => a - b)).toEqual(irsa.map((i) => i.id).sort((a, b) => a - b));

    const prod = irsa.find((i) => i.source === 'eks-prod')!;
    const twin = irsa.find((i) => i.source === 'eks-staging' && i.name === prod.name)!;
    const role = String(prod.attributes.awsRoleArn);
    expect(signals.get(prod.id)).toEqual({
      code: 'shared-across-environments',
      reason:
        `Shares the assumed cloud identity ${role} with ${prod.name} in eks-staging (staging), while this identity is in production. ` +
        'Production and non-production are not isolated: a compromise of one reaches the other.',
      owasp: { id: 'NHI8:2025', name: 'Environment Isolation' },
      severity: 'medium',
    });
    expect(signals.get(twin.id)!.reason).toContain(
      `with ${prod.name} in eks-prod (production), while this identity is in staging.`,
    );
  });

  it('does not take same-named accounts, or legacy token Secrets named alike in two clusters, for one identity', () => {
    const signals = shared();
    const defaults = population.identities.filter((i) => i.name === 'ci/default');
    expect(defaults).toHaveLength(2);
    expect(defaults.every((i) => i.credentials.length > 0 && !signals.has(i.id))).toBe(true);
  });

  it('leaves separate prod and nonprod apps alone, and the register rows that repeat them', () => {
    const signals = shared();
    const terraform = population.identities.filter((i) => i.name.startsWith('Terraform Cloud - '));
    expect(terraform.map((i) => `${i.source} ${i.environment}`).sort()).toEqual([
      'cmdb production',
      'cmdb production',
      'entra non-production',
      'entra production',
    ]);
    expect(terraform.some((i) => signals.has(i.id))).toBe(false);
    expect(population.identities.filter((i) => i.sourceKind === 'cmdb' && signals.has(i.id))).toEqual([]);
  });

  describe('on one app registration used from two tenants', () => {
    function tenants(changes: Partial<RiskSubject> = {}): RiskSubject[] {
      const prod = population.named('Terraform Cloud - prod', 'entra');
      const dev: RiskSubject = {
        ...prod,
        id: -1,
        source: 'entra-dev',
        environment: 'development',
        ...changes,
      };
      return [prod, dev];
    }

    it('flags the app by its app id', () => {
      const [prod, dev] = tenants();
      const signals = shared([prod!, dev!]);
      expect(signals.get(prod!.id)!.reason).toContain(
        'Shares the application (app id ab076d87-b574-4374-a178-4893df09cac4) with Terraform Cloud - prod in entra-dev (development), while this identity is in production. ',
      );
      // Its client secret is the same credential in both, and is named too.
      expect(signals.get(dev!.id)!.reason).toMatch(
        /^Shares client secret [0-9a-f-]{36} with Terraform Cloud - prod in entra \(production\), while this identity is in development\. /,
      );
    });

    it('not when the other copy is disabled, gone from its source, a register row or in no stated environment', () => {
      for (const changes of [
        { status: 'disabled' as const },
        { notSeenSince: '2026-10-15T09:00:00.000Z' },
        { sourceKind: 'cmdb' },
        { environment: null },
        { environment: 'PROD' },
      ]) {
        expect(shared(tenants(changes)).size, JSON.stringify(changes)).toBe(0);
      }
      // Gone only after the as-of date: it was still there.
      expect(shared(tenants({ notSeenSince: '2026-12-01T09:00:00.000Z' })).size).toBe(2);
    });

    it("not for Microsoft's own apps, which every tenant has", () => {
      const microsoft = population.identities.find((i) => i.attributes.microsoftFirstParty === true)!;
      const copies = [
        { ...microsoft, environment: 'production' },
        { ...microsoft, id: -1, source: 'entra-dev', environment: 'development' },
      ];
      expect(shared(copies).size).toBe(0);
    });

    it('a shared credential counts only while it is active and unexpired at the as-of date', () => {
      const prod = population.named('Terraform Cloud - prod', 'entra');
      const secret = prod.credentials.find((c) => c.type === 'client-secret')!;
      const withoutApp = (identity: RiskSubject): RiskSubject => ({
        ...identity,
        attributes: { ...identity.attributes, appId: null },
      });
      const [a, b] = tenants().map(withoutApp);
      expect(shared([a!, b!]).get(a!.id)!.reason).toMatch(/^Shares client secret [0-9a-f-]{36} with /);
      const expired = { ...b!, credentials: [{ ...secret, expiresAt: '2026-10-31T00:00:00.000Z' }] };
      expect(shared([a!, expired]).size).toBe(0);
      expect(shared([a!, expired], '2026-10-30').size).toBe(2);
      expect(shared([a!, { ...b!, credentials: [{ ...secret, status: 'inactive' as const }] }]).size).toBe(0);
    });

    it('takes its severity from the policy', () => {
      const [prod, dev] = tenants();
      const policy = { ...DEFAULT_RISK_POLICY, highRiskSignals: ['shared-across-environments' as const] };
      expect(sharedAcrossEnvironments([prod!, dev!], AS_OF, policy).get(prod!.id)!.severity).toBe('high');
    });
  });
});
