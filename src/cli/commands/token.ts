/** @module `slipway token`: create, list and revoke the controller's API tokens (in its state directory). */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SlipwayError } from '../../errors/index.js';
import { ROLES, type Role, TokenStore } from '../../server/api-tokens.js';
import { parseDuration } from '../../spec/units.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';
import { splitList } from '../options.js';

function parseRole(role: string): Role {
  if ((ROLES as readonly string[]).includes(role)) return role as Role;
  throw new SlipwayError('CLI_BAD_ROLE', `unknown role "${role.slice(0, 40)}"`, {
    hint: `one of ${ROLES.join(', ')}`,
  });
}

export function registerToken(program: Command, ctx: CommandContext): void {
  const token = program
    .command('token')
    .description('API tokens of the controller: once one exists, every API call needs one (SLIPWAY_TOKEN).');
  const stateDir = (c: Command) =>
    c.option('--state-dir <dir>', "the controller's state directory", '.slipway');
  stateDir(
    token
      .command('create')
      .description('Create a token; it is printed once and stored only as its hash.')
      .requiredOption('--name <name>', 'who uses it (recorded as the actor of what it does)')
      .requiredOption('--role <role>', `${ROLES.join(' < ')}`)
      .option('--expires <duration>', 'lifetime, e.g. 30d or 12h (default: no expiry)')
      .option('--approves <roles>', "the environments' approval roles it may approve for (comma-separated)")
      .option('--save', 'also keep it in STATE_DIR/cli-token (0600), which the CLI here sends by itself'),
  ).action(
    (o: {
      name: string;
      role: string;
      expires?: string;
      approves?: string;
      save?: boolean;
      stateDir: string;
    }) => {
      const store = new TokenStore(o.stateDir);
      const { token: value, record } = store.create(
        o.name,
        parseRole(o.role),
        o.expires ? parseDuration(o.expires) : undefined,
        Date.now(),
        splitList(o.approves) ?? [],
      );
      ctx.io.err(
        `token ${record.name} (${record.role}${record.expiresAt ? `, expires ${record.expiresAt}` : ''}) — shown once:`,
      );
      if (o.save) {
        writeFileSync(join(o.stateDir, 'cli-token'), `${value}\n`, { mode: 0o600 });
        chmodSync(join(o.stateDir, 'cli-token'), 0o600);
        ctx.io.err(`saved in ${join(o.stateDir, 'cli-token')}: commands run from here send it`);
      }
      ctx.io.out(value);
    },
  );
  stateDir(token.command('list').description('The tokens: name, role, created, expiry, revoked.')).action(
    (o: { stateDir: string }) => {
      for (const r of new TokenStore(o.stateDir).list())
        ctx.io.out(
          `${r.name.padEnd(20)} ${r.role.padEnd(9)}${r.approves ? ` approves ${r.approves.join(',')}` : ''} created ${r.createdAt}${r.expiresAt ? ` expires ${r.expiresAt}` : ''}${r.revokedAt ? ` REVOKED ${r.revokedAt}` : ''}`,
        );
    },
  );
  stateDir(
    token.command('revoke').description('Revoke a token at once.').argument('<name>', 'the token name'),
  ).action((name: string, o: { stateDir: string }) => {
    const r = new TokenStore(o.stateDir).revoke(name);
    ctx.io.out(`token ${r.name} revoked at ${r.revokedAt}`);
  });
  withExamples(
    token,
    `
# Turn authentication on: an operator for CI, an approver for the release manager
slipway token create --name ci --role operator --expires 90d
slipway token create --name alice --role approver --approves release-manager
SLIPWAY_TOKEN=slw_… slipway release web@v2

# Who has access; take one away
slipway token list
slipway token revoke ci`,
  );
}
