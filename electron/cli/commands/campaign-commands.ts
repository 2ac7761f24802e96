import { Option, type Command } from 'commander';
import type { MethodOutput } from '../../../shared/api/contract';
import { ITEM_DECISION_STATES, REVIEW_DECISIONS } from '../../../shared/domain/campaign';
import { RISK_SIGNAL_CODES } from '../../../shared/domain/risk';
import type { CliContext } from '../cli-context';

type Campaign = MethodOutput<'campaigns.get'>;
type Item = MethodOutput<'campaigns.items'>['items'][number];

const collect = (value: string, previous: string[]) => [...previous, value];

function describeCampaign(c: Campaign): string {
  const scope = Object.entries(c.scope)
    .filter(([, values]) => values.length > 0)
    .map(([key, values]) => `${key}: ${values.join(', ')}`);
  return [
    `Campaign ${c.id}: ${c.name} (${c.state})`,
    `  as of ${c.asOf}${c.due ? `, due ${c.due}` : ''}; owner ${c.owner}; ${c.items} items`,
    `  scope: ${scope.length > 0 ? scope.join('; ') : 'everything'}`,
  ].join('\n');
}

function describeItem(item: Item): string {
  const signals = item.signals.map((s) => s.code).join(',') || '-';
  return `${item.id}\t${item.decision}\t${item.reviewer}\t${item.source}\t${item.name}\t${signals}`;
}

export function registerCampaignCommands(
  program: Command,
  { io, openCore, call, unlock, print, failure }: CliContext,
): void {
  const idOf = (text: string, what: string): number => {
    if (!/^\d+$/.test(text) || Number(text) < 1)
      throw failure('USAGE', `${what} must be a positive whole number; "${text}" is not.`);
    return Number(text);
  };
  const asOption = () => new Option('--as <email>', 'who acts (default: the operating-system user)');

  const campaign = program
    .command('campaign')
    .description('certification campaigns: scope, launch, decide, sign off, close');

  campaign
    .command('create')
    .description('draft a campaign; empty scope lists mean every identity')
    .requiredOption('--name <name>', 'what the campaign is called')
    .requiredOption('--as-of <date>', 'the date owners and signals are judged at (YYYY-MM-DD)')
    .option('--due <date>', 'when reviewers should be done (YYYY-MM-DD)')
    .option('--period <label>', 'a label such as 2026-Q4')
    .option('--scope-source <source>', 'review identities of this source (repeatable)', collect, [])
    .option('--scope-kind <kind>', 'review identities of this kind (repeatable)', collect, [])
    .option('--scope-environment <env>', 'review identities of this environment (repeatable)', collect, [])
    .option(
      '--scope-signal <code>',
      `review identities with this signal (repeatable): ${RISK_SIGNAL_CODES.join(', ')}`,
      collect,
      [],
    )
    .option('--owner <email>', 'the campaign owner (default: the operating-system user)')
    .action(
      async (
        options: {
          name: string;
          asOf: string;
          due?: string;
          period?: string;
          scopeSource: string[];
          scopeKind: string[];
          scopeEnvironment: string[];
          scopeSignal: string[];
          owner?: string;
        },
        command: Command,
      ) => {
        const target = openCore(command);
        await unlock(target);
        const created = await call(target, 'campaigns.create', {
          name: options.name,
          asOf: options.asOf,
          ...(options.due ? { due: options.due } : {}),
          ...(options.period ? { period: options.period } : {}),
          ...(options.owner ? { owner: options.owner } : {}),
          scope: {
            sources: options.scopeSource,
            kinds: options.scopeKind,
            environments: options.scopeEnvironment,
            signals: options.scopeSignal,
          },
        });
        print(command, created, describeCampaign(created));
      },
    );

  campaign
    .command('list')
    .description('every campaign, newest first')
    .action(async (_options, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const campaigns = await call(target, 'campaigns.list', {});
      print(command, campaigns, campaigns.map(describeCampaign).join('\n') || 'No campaigns yet.');
    });

  campaign
    .command('launch')
    .description('open a draft campaign and freeze its population (campaign owner only)')
    .argument('<id>', 'the campaign')
    .addOption(asOption())
    .action(async (id: string, options: { as?: string }, command: Command) => {
      const campaignId = idOf(id, 'The campaign id');
      const target = openCore(command);
      await unlock(target);
      const launched = await call(target, 'campaigns.launch', {
        campaignId,
        ...(options.as ? { actor: options.as } : {}),
      });
      print(command, launched, describeCampaign(launched));
    });

  campaign
    .command('items')
    .description('the review items with their frozen data, reviewer and decision')
    .argument('<id>', 'the campaign')
    .option('--reviewer <email>', 'only this reviewer’s items')
    .addOption(new Option('--decision <state>', 'only items in this state').choices(ITEM_DECISION_STATES))
    .addOption(new Option('--signal <code>', 'only items with this signal').choices(RISK_SIGNAL_CODES))
    .addOption(
      new Option('--sort <by>', 'order').choices(['name', 'reviewer', 'risk', 'decision']).default('name'),
    )
    .action(
      async (
        id: string,
        options: { reviewer?: string; decision?: string; signal?: string; sort: string },
        command: Command,
      ) => {
        const campaignId = idOf(id, 'The campaign id');
        const target = openCore(command);
        await unlock(target);
        const json = command.optsWithGlobals<{ json?: boolean }>().json;
        // Pages of 1000, written as they come, as `identities` does.
        let offset = 0;
        let first = true;
        if (json) io.stdout('[');
        for (;;) {
          const page = await call(target, 'campaigns.items', {
            campaignId,
            ...(options.reviewer ? { reviewer: options.reviewer } : {}),
            ...(options.decision ? { decision: options.decision } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            sort: options.sort,
            offset,
            limit: 1000,
          });
          for (const item of page.items) {
            io.stdout(json ? `${first ? '\n' : ',\n'}${JSON.stringify(item)}` : `${describeItem(item)}\n`);
            first = false;
          }
          offset += page.items.length;
          if (page.items.length === 0 || offset >= page.total) break;
        }
        if (json) io.stdout(first ? ']\n' : '\n]\n');
      },
    );

  campaign
    .command('decide')
    .description(
      'certify, revoke or reassign one item (a comment is required to revoke, reassign, or certify a high-risk item)',
    )
    .argument('<id>', 'the campaign')
    .argument('<item>', 'the item id (see `campaign items`)')
    .argument('<decision>', REVIEW_DECISIONS.join(' | '))
    .option('--owner <email>', 'reassign: the new owner, an active person of the roster')
    .option('--credential <ref>', 'revoke only this credential (its id, or its position from 1)')
    .option('--entitlement <name>', 'revoke only this entitlement')
    .option('--comment <text>', 'the justification')
    .addOption(asOption())
    .action(
      async (
        id: string,
        item: string,
        decision: string,
        options: { owner?: string; credential?: string; entitlement?: string; comment?: string; as?: string },
        command: Command,
      ) => {
        const campaignId = idOf(id, 'The campaign id');
        const itemId = idOf(item, 'The item id');
        if (!(REVIEW_DECISIONS as readonly string[]).includes(decision))
          throw failure(
            'USAGE',
            `The decision must be one of ${REVIEW_DECISIONS.join(', ')}; "${decision}" is not.`,
          );
        if (options.credential && options.entitlement)
          throw failure('USAGE', 'Revoke one credential or one entitlement, not both.');
        const target = options.credential
          ? { type: 'credential', ref: options.credential }
          : options.entitlement
            ? { type: 'entitlement', ref: options.entitlement }
            : decision === 'revoke'
              ? { type: 'identity', ref: null }
              : undefined;
        const core = openCore(command);
        await unlock(core);
        const decided = await call(core, 'decisions.record', {
          campaignId,
          itemId,
          decision,
          ...(target ? { target } : {}),
          ...(options.owner ? { newOwner: options.owner } : {}),
          ...(options.comment ? { justification: options.comment } : {}),
          ...(options.as ? { actor: options.as } : {}),
        });
        print(
          command,
          decided,
          `Item ${decided.id} (${decided.name}): ${decided.decision} by ${decided.decidedBy}`,
        );
      },
    );

  campaign
    .command('signoff')
    .description('sign off every item you review, once all are decided')
    .argument('<id>', 'the campaign')
    .addOption(asOption())
    .action(async (id: string, options: { as?: string }, command: Command) => {
      const campaignId = idOf(id, 'The campaign id');
      const target = openCore(command);
      await unlock(target);
      const signed = await call(target, 'campaigns.signOff', {
        campaignId,
        ...(options.as ? { actor: options.as } : {}),
      });
      print(command, signed, `${signed.reviewer} signed off ${signed.items} items at ${signed.signedAt}.`);
    });

  campaign
    .command('close')
    .description('close the campaign for good (campaign owner only); undecided items need an exception')
    .argument('<id>', 'the campaign')
    .option(
      '--exception <item=reason>',
      'carry an undecided item past the close, with the reason (repeatable)',
      collect,
      [],
    )
    .option('--pending-as-exception <reason>', 'carry every undecided item as an exception with this reason')
    .addOption(asOption())
    .action(
      async (
        id: string,
        options: { exception: string[]; pendingAsException?: string; as?: string },
        command: Command,
      ) => {
        const campaignId = idOf(id, 'The campaign id');
        const exceptions = options.exception.map((text) => {
          const match = /^(\d+)=(.+)$/s.exec(text);
          if (!match) throw failure('USAGE', `Write an exception as ITEM=REASON; "${text}" is not.`);
          return { itemId: Number(match[1]), reason: match[2]! };
        });
        const target = openCore(command);
        await unlock(target);
        if (options.pendingAsException) {
          const given = new Set(exceptions.map((e) => e.itemId));
          for (let offset = 0; ;) {
            const page = await call(target, 'campaigns.items', {
              campaignId,
              decision: 'pending',
              offset,
              limit: 1000,
            });
            for (const item of page.items)
              if (!given.has(item.id))
                exceptions.push({ itemId: item.id, reason: options.pendingAsException });
            offset += page.items.length;
            if (page.items.length === 0 || offset >= page.total) break;
          }
        }
        const closed = await call(target, 'campaigns.close', {
          campaignId,
          exceptions,
          ...(options.as ? { actor: options.as } : {}),
        });
        print(command, closed, describeCampaign(closed));
      },
    );

  campaign
    .command('reassign')
    .description(
      'move undecided items, or a reviewer’s undecided queue, to another reviewer (campaign owner only)',
    )
    .argument('<id>', 'the campaign')
    .requiredOption('--to <email>', 'the new reviewer: an active person of the roster, or the campaign owner')
    .option('--items <ids>', 'these items, comma-separated (see `campaign items`)')
    .option('--from <email>', 'every undecided item of this reviewer')
    .requiredOption('--reason <text>', 'why, for the decision log')
    .addOption(asOption())
    .action(
      async (
        id: string,
        options: { to: string; items?: string; from?: string; reason: string; as?: string },
        command: Command,
      ) => {
        const campaignId = idOf(id, 'The campaign id');
        if ((options.items === undefined) === (options.from === undefined))
          throw failure(
            'USAGE',
            'Name the items with --items 1,2 or a reviewer’s queue with --from EMAIL, not both.',
          );
        const itemIds = options.items?.split(',').map((text) => idOf(text.trim(), 'Each item id'));
        const target = openCore(command);
        await unlock(target);
        const moved = await call(target, 'campaigns.reassignItems', {
          campaignId,
          toReviewer: options.to,
          reason: options.reason,
          ...(itemIds ? { itemIds } : {}),
          ...(options.from ? { fromReviewer: options.from } : {}),
          ...(options.as ? { actor: options.as } : {}),
        });
        const from = moved.from.map((f) => `${f.count} from ${f.reviewer}`).join(', ');
        const flagged = moved.selfReviews > 0 ? `; ${moved.selfReviews} flagged as self-review` : '';
        print(command, moved, `Moved ${moved.moved} item(s) to ${moved.toReviewer} (${from})${flagged}.`);
      },
    );

  campaign
    .command('extend')
    .description('move the due date later (campaign owner only)')
    .argument('<id>', 'the campaign')
    .requiredOption('--due <date>', 'the new due date (YYYY-MM-DD), after today and the current one')
    .requiredOption('--reason <text>', 'why, for the decision log')
    .addOption(asOption())
    .action(async (id: string, options: { due: string; reason: string; as?: string }, command: Command) => {
      const campaignId = idOf(id, 'The campaign id');
      const target = openCore(command);
      await unlock(target);
      const extended = await call(target, 'campaigns.extendDue', {
        campaignId,
        due: options.due,
        reason: options.reason,
        ...(options.as ? { actor: options.as } : {}),
      });
      print(command, extended, describeCampaign(extended));
    });

  campaign
    .command('status')
    .description('progress by reviewer, by decision and by signal')
    .argument('<id>', 'the campaign')
    .action(async (id: string, _options, command: Command) => {
      const campaignId = idOf(id, 'The campaign id');
      const target = openCore(command);
      await unlock(target);
      const status = await call(target, 'campaigns.status', { campaignId });
      const human = [
        `Campaign ${status.campaignId} (${status.state}): ${status.decided} of ${status.total} decided`,
        ...Object.entries(status.byDecision).map(([d, n]) => `  ${d.padEnd(10)} ${n}`),
        'By reviewer:',
        ...status.byReviewer.map(
          (r) =>
            `  ${r.reviewer}: ${r.decided}/${r.total}${r.signedOffAt ? `, signed off ${r.signedOffAt}` : ''}`,
        ),
        'By signal:',
        ...status.bySignal.map((s) => `  ${s.code}: ${s.decided}/${s.total}`),
      ].join('\n');
      print(command, status, human);
    });

  const log = program.command('log').description('the tamper-evident decision log');
  log
    .command('verify')
    .description('recompute the hash chain; exit 0 when it holds, 1 naming the first broken record')
    .option(
      '--head <seq:hash>',
      'the head kept outside the vault (from the evidence), to detect a recomputed chain',
    )
    .action(async (options: { head?: string }, command: Command) => {
      let expectedHead: { seq: number; hash: string } | undefined;
      if (options.head) {
        const match = /^(\d+):([0-9a-f]{64})$/.exec(options.head);
        if (!match) throw failure('USAGE', 'Give the head as SEQ:HASH, e.g. 58:e3b0…(64 hex digits).');
        expectedHead = { seq: Number(match[1]), hash: match[2]! };
      }
      const target = openCore(command);
      await unlock(target);
      const result = await call(target, 'log.verify', expectedHead ? { expectedHead } : {});
      const human = result.ok
        ? `The decision log holds: ${result.records} records, head ${result.head.seq}:${result.head.hash}.`
        : `The decision log is broken at record ${result.broken!.seq}: ${result.broken!.message}`;
      print(command, result, human);
      if (!result.ok)
        throw failure('INTERNAL', `record ${result.broken!.seq} is broken (${result.broken!.problem}).`);
    });
}
