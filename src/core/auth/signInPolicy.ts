import type { ResolvedConfig } from '../../config/index.js';
import type { UserRole } from '../../store/index.js';

export type SignInPolicy = Pick<ResolvedConfig, 'allowedDomains' | 'allowedEmails' | 'allowedOrgs' | 'admins'>;

/** What the identity provider vouches for, as far as the policy needs. */
export interface SignInFacts {
  email: string | null;
  /** Only a verified email counts for domains, addresses and admins. */
  emailVerified: boolean;
  /** Google's hosted domain claim (`hd`): set only for Workspace accounts of that domain. */
  hostedDomain?: string | null;
  githubLogin?: string | null;
  /** The user's GitHub organizations (known for GitHub sign-in, or once GitHub is linked). */
  githubOrgs?: readonly string[];
}

export type SignInDecision = { allowed: true; role: UserRole } | { allowed: false; reason: string };

const lower = (values: readonly string[]) => values.map((v) => v.toLowerCase());

/**
 * Who may sign in: anyone when no allow-list is set; otherwise a verified email in GITLORE_ALLOWED_EMAILS,
 * a verified email (or Google hosted domain) in GITLORE_ALLOWED_DOMAINS, or membership of a GITLORE_ALLOWED_ORGS
 * organization. Admins (GITLORE_ADMINS, by verified email or GitHub login) may always sign in.
 */
export function decideSignIn(facts: SignInFacts, policy: SignInPolicy): SignInDecision {
  const email = facts.email && facts.emailVerified ? facts.email.toLowerCase() : null;
  const domain = email ? email.slice(email.lastIndexOf('@') + 1) : null;
  const login = facts.githubLogin?.toLowerCase() ?? null;
  const admins = lower(policy.admins);
  const admin = (email !== null && admins.includes(email)) || (login !== null && admins.includes(login));
  if (admin) return { allowed: true, role: 'admin' };

  const lists = [policy.allowedEmails, policy.allowedDomains, policy.allowedOrgs];
  if (lists.every((list) => list.length === 0)) return { allowed: true, role: 'member' };
  if (email && lower(policy.allowedEmails).includes(email)) return { allowed: true, role: 'member' };
  const domains = lower(policy.allowedDomains);
  if ((domain && domains.includes(domain)) || (facts.hostedDomain && domains.includes(facts.hostedDomain.toLowerCase()))) {
    return { allowed: true, role: 'member' };
  }
  const orgs = lower(policy.allowedOrgs);
  if ((facts.githubOrgs ?? []).some((org) => orgs.includes(org.toLowerCase()))) return { allowed: true, role: 'member' };

  const who = facts.email ? `${facts.email}${facts.emailVerified ? '' : ' (not verified)'}` : (facts.githubLogin ?? 'this account');
  return { allowed: false, reason: `${who} is not allowed to sign in to this gitlore.` };
}
