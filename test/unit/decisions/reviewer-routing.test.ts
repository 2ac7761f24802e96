import { describe, expect, it } from 'vitest';
import { routeReviewer, type RoutingOwner } from '../../../electron/core/campaigns/reviewer-routing';

const owner = (
  email: string,
  role: RoutingOwner['role'],
  extra: Partial<RoutingOwner> = {},
): RoutingOwner => ({
  email,
  role,
  status: 'active',
  manager: null,
  terminationDate: null,
  ...extra,
});

describe('routeReviewer', () => {
  it('prefers the business owner, flagging a review by one of several owners as self-review', () => {
    expect(routeReviewer([owner('tech@x', 'technical'), owner('biz@x', 'business')], 'lead@x')).toMatchObject(
      {
        reviewer: 'biz@x',
        rule: 'business-owner',
        selfReview: true,
      },
    );
  });

  it('falls to the technical owner when the business owner has left and has no active manager', () => {
    const routing = routeReviewer(
      [owner('gone@x', 'business', { status: 'terminated' }), owner('tech@x', 'technical')],
      'lead@x',
    );
    expect(routing).toMatchObject({ reviewer: 'tech@x', rule: 'technical-owner', selfReview: true });
  });

  it('sends a leaver’s identity to their active manager, else to the campaign owner', () => {
    const left = { status: 'terminated' as const, terminationDate: '2026-05-15' };
    expect(
      routeReviewer(
        [owner('gone@x', 'business', { ...left, manager: { email: 'boss@x', active: true } })],
        'lead@x',
      ),
    ).toMatchObject({ reviewer: 'boss@x', rule: 'manager-of-leaver', selfReview: false });
    expect(
      routeReviewer(
        [owner('gone@x', 'business', { ...left, manager: { email: 'boss@x', active: false } })],
        'lead@x',
      ),
    ).toMatchObject({ reviewer: 'lead@x', rule: 'campaign-owner' });
  });

  it('never lets the only owner review, saying so, even when that owner holds both roles', () => {
    const routing = routeReviewer([owner('Solo@x', 'business'), owner('solo@x', 'technical')], 'lead@x');
    expect(routing).toMatchObject({ reviewer: 'lead@x', rule: 'campaign-owner', selfReview: false });
    expect(routing.reason).toMatch(/Solo@x is the only owner/);
  });

  it('flags the campaign owner as a self-review when they are the only owner and nobody else is left', () => {
    expect(routeReviewer([owner('lead@x', 'business')], 'lead@x')).toMatchObject({
      reviewer: 'lead@x',
      rule: 'campaign-owner',
      selfReview: true,
    });
  });
});
