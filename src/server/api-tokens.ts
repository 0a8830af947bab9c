/**
 * @module API tokens and roles. `slipway token create` writes a token's SHA-256 (never the token) with its
 * name, role and expiry to `STATE_DIR/tokens.json` (mode 0600) and prints the token once. Once any token
 * exists, the API answers only requests that carry a live one (`Authorization: Bearer …`), and each route
 * needs a role: viewer < operator < approver < admin. The token's name is the actor the release's log
 * records, whatever the request body says.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SlipwayError } from '../errors/index.js';

export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenRecord {
  name: string;
  role: Role;
  /** The environments' approval roles (`approval.role`) this token may approve for. */
  approves?: string[];
  sha256: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Whether `role` may do what `needed` allows (the roles are ordered). */
export const allows = (role: Role, needed: Role) => ROLES.indexOf(role) >= ROLES.indexOf(needed);

export class TokenStore {
  readonly file: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, 'tokens.json');
  }

  list(): TokenRecord[] {
    if (!existsSync(this.file)) return [];
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as TokenRecord[];
    } catch (error) {
      throw new SlipwayError('API_TOKENS_UNREADABLE', `${this.file} is not a token file`, { cause: error });
    }
  }

  /** Any token at all: authentication is on. */
  get enabled(): boolean {
    return this.list().length > 0;
  }

  /** A new token: returned once, stored only as its hash. */
  create(
    name: string,
    role: Role,
    ttlMs?: number,
    now = Date.now(),
    approves: string[] = [],
  ): { token: string; record: TokenRecord } {
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name))
      throw new SlipwayError('API_TOKEN_BAD_NAME', `"${name.slice(0, 80)}" is not a token name`, {
        hint: 'letters, digits, . _ @ - (at most 64)',
      });
    const records = this.list();
    if (records.some((r) => r.name === name && !r.revokedAt))
      throw new SlipwayError('API_TOKEN_EXISTS', `a token named ${name} exists`, {
        hint: `revoke it first: slipway token revoke ${name}`,
      });
    const token = `slw_${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      name,
      role,
      sha256: hash(token),
      createdAt: new Date(now).toISOString(),
      ...(ttlMs !== undefined ? { expiresAt: new Date(now + ttlMs).toISOString() } : {}),
      ...(approves.length > 0 ? { approves } : {}),
    };
    this.write([...records, record]);
    return { token, record };
  }

  revoke(name: string, now = Date.now()): TokenRecord {
    const records = this.list();
    const record = records.find((r) => r.name === name && !r.revokedAt);
    if (!record)
      throw new SlipwayError('API_TOKEN_NOT_FOUND', `no live token named ${name}`, {
        hint: 'slipway token list',
      });
    record.revokedAt = new Date(now).toISOString();
    this.write(records);
    return record;
  }

  /** The live token a request carries, or why not (401). */
  authenticate(authorization: string | undefined, now = Date.now(), records = this.list()): TokenRecord {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token)
      throw new SlipwayError(
        'API_UNAUTHENTICATED',
        'this controller needs a token: Authorization: Bearer …',
        {
          hint: 'set SLIPWAY_TOKEN to a token from `slipway token create`',
        },
      );
    const record = records.find((r) => r.sha256 === hash(token));
    if (!record) throw new SlipwayError('API_UNAUTHENTICATED', 'the token is not known to this controller');
    if (record.revokedAt)
      throw new SlipwayError(
        'API_TOKEN_REVOKED',
        `the token ${record.name} was revoked at ${record.revokedAt}`,
      );
    if (record.expiresAt && Date.parse(record.expiresAt) <= now)
      throw new SlipwayError('API_TOKEN_EXPIRED', `the token ${record.name} expired at ${record.expiresAt}`);
    return record;
  }

  private write(records: TokenRecord[]): void {
    // Written whole then renamed: a crash never leaves half a file; 0600: only its owner reads the hashes.
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}

/**
 * An environment whose `approval.role` names who approves: only a token that may approve for that role
 * (or an admin) does; without tokens nobody can say who is who, so nobody does.
 */
export function requireApprovalRole(
  caller: { name: string; role: Role; approves?: string[] } | undefined,
  needed: { environment: string; role: string },
) {
  if (!caller)
    throw new SlipwayError(
      'API_FORBIDDEN',
      `${needed.environment} needs an approval by ${needed.role}, and this controller has no tokens to say who that is`,
      { hint: `slipway token create --name NAME --role approver --approves ${needed.role}` },
    );
  if (caller.role !== 'admin' && !caller.approves?.includes(needed.role))
    throw new SlipwayError(
      'API_FORBIDDEN',
      `${caller.name} may not approve for ${needed.role} (${needed.environment}): the token approves for ${caller.approves?.join(', ') || 'no role'}`,
    );
}

/** 403: the token's role does not allow the call. */
export function requireRole(record: { name: string; role: Role }, needed: Role, what: string): void {
  if (!allows(record.role, needed))
    throw new SlipwayError(
      'API_FORBIDDEN',
      `${record.name} (role ${record.role}) may not ${what}: that needs ${needed}`,
    );
}
