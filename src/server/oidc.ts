/**
 * @module OIDC bearer tokens (a team's identity provider: Keycloak, Dex, Okta…): a JWT verified against
 * the issuer's keys (its discovery document's `jwks_uri`, fetched and cached by `jose`), for this
 * controller's audience, unexpired. A claim (default `groups`) names the caller's Slipway role — directly
 * (`operator`) or through a map (`sre=operator`) — and every other value in it is an approval role the
 * caller may approve for (`release-manager`).
 */
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { SlipwayError } from '../errors/index.js';
import { ROLES, type Role } from './api-tokens.js';

export interface OidcOptions {
  issuer: string;
  audience: string;
  /** The claim that lists the caller's groups or roles (default `groups`). */
  rolesClaim?: string;
  /** Claim value → Slipway role, for groups that are not named after one. */
  roleMap?: Record<string, Role>;
}

/** Who calls, whatever authenticated them: a Slipway token or an OIDC identity. */
export interface Caller {
  name: string;
  role: Role;
  approves?: string[];
}

const unauthenticated = (message: string) => new SlipwayError('API_UNAUTHENTICATED', message);

/** `--oidc-role-map sre=operator,platform=admin` → { sre: 'operator', platform: 'admin' }. */
export function parseRoleMap(text: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [claim, role] = pair.split('=').map((x) => x.trim());
    if (!claim || !ROLES.includes(role as Role))
      throw new SlipwayError('SERVE_BAD_ROLE_MAP', `"${pair}" is not CLAIM=ROLE`, {
        hint: `roles: ${ROLES.join(', ')}; e.g. --oidc-role-map sre=operator,platform-admins=admin`,
      });
    map[claim] = role as Role;
  }
  return map;
}

/** A token that looks like a JWT (three base64url parts) rather than a Slipway token. */
export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

export class OidcVerifier {
  private keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(private readonly options: OidcOptions) {}

  /** The issuer's keys, from its discovery document (once; jose refreshes the keys themselves). */
  private async jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys) return this.keys;
    const issuer = this.options.issuer.replace(/\/$/, '');
    let document: { issuer?: string; jwks_uri?: string };
    try {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      document = (await res.json()) as typeof document;
    } catch (error) {
      throw new SlipwayError(
        'API_OIDC_UNREACHABLE',
        `the OIDC issuer ${issuer} did not answer: ${(error as Error).message}`,
        {
          hint: 'tokens from the issuer cannot be checked until it answers; Slipway tokens still work',
        },
      );
    }
    if (!document.jwks_uri || document.issuer?.replace(/\/$/, '') !== issuer)
      throw new SlipwayError('API_OIDC_UNREACHABLE', `${issuer}'s discovery document does not describe it`);
    this.keys = createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: 5000 });
    return this.keys;
  }

  async authenticate(token: string): Promise<Caller> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.jwks(), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: 30,
      }));
    } catch (error) {
      if (error instanceof SlipwayError) throw error;
      if (error instanceof errors.JWTExpired)
        throw new SlipwayError('API_TOKEN_EXPIRED', 'the OIDC token has expired', { hint: 'log in again' });
      if (error instanceof errors.JWTClaimValidationFailed)
        throw unauthenticated(
          `the OIDC token's ${error.claim} claim is not this controller's (${error.reason})`,
        );
      throw unauthenticated(`the OIDC token was not signed by ${this.options.issuer}'s keys`);
    }
    return this.caller(payload);
  }

  private caller(payload: JWTPayload): Caller {
    const claim = this.options.rolesClaim ?? 'groups';
    const raw = payload[claim];
    const values = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(' ') : []).map(String);
    const roles = values
      .map((v) => this.options.roleMap?.[v] ?? (ROLES.includes(v as Role) ? (v as Role) : undefined))
      .filter((r): r is Role => r !== undefined);
    const name = String(payload['preferred_username'] ?? payload['email'] ?? payload.sub ?? 'unknown');
    const role = ROLES.filter((r) => roles.includes(r)).at(-1);
    if (!role)
      throw new SlipwayError('API_FORBIDDEN', `${name} has no Slipway role in the token's ${claim} claim`, {
        hint: `give the identity one of ${ROLES.join(', ')} (or map a group with --oidc-role-map)`,
      });
    // Any group but a role's own name is an approval role: `release-manager` may be mapped to approver and
    // approve where an environment's approval.role is release-manager.
    const approves = values.filter((v) => !ROLES.includes(v as Role));
    return { name, role, ...(approves.length ? { approves } : {}) };
  }
}
