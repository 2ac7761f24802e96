import type https from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { AppError } from '../../../../shared/api/errors';
import { cancelledError, httpsGet, NetworkFailure, unreachableError } from './https-get';

/**
 * Client-credential sign-in with @azure/identity (MSAL underneath). The credential's pipeline options
 * reach MSAL's network client in 4.13 (it sends through the credential's own IdentityClient), so the
 * extra CA goes in as `tlsOptions` and the retry bounds as `retryOptions`: nothing is changed for the
 * rest of the process.
 */
export interface SignInSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  graphUrl: string;
  /** Full trust store when the connection adds CAs; undefined for Node's own. */
  ca: string[] | undefined;
  agent: https.Agent;
  maxAttempts: number;
  retryBaseDelayMs: number;
  requestTimeoutMs: number;
}

export interface TokenSource {
  getAccessToken(signal: AbortSignal): Promise<string>;
}

export function createTokenSource(settings: SignInSettings): TokenSource {
  const credential = new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, {
    authorityHost: settings.authorityHost,
    // The authority is the one configured, never looked up at login.microsoftonline.com.
    disableInstanceDiscovery: true,
    ...(settings.ca ? { tlsOptions: { ca: settings.ca } } : {}),
    retryOptions: {
      maxRetries: Math.max(0, settings.maxAttempts - 1),
      retryDelayInMs: settings.retryBaseDelayMs,
      maxRetryDelayInMs: Math.max(settings.retryBaseDelayMs, 30_000),
    },
    userAgentOptions: { userAgentPrefix: 'Steward' },
  });
  const scope = `${settings.graphUrl}/.default`;
  return {
    async getAccessToken(signal) {
      if (signal.aborted) throw cancelledError();
      try {
        // MSAL caches the token and renews it near expiry, so asking per request is cheap.
        const token = await credential.getToken(scope, { abortSignal: signal });
        if (!token) throw new Error('no token');
        return token.token;
      } catch (error) {
        if (signal.aborted) throw cancelledError();
        throw await explainSignInFailure(error, settings, signal);
      }
    },
  };
}

/** The AADSTS codes people meet, said plainly. All are CONNECTOR_AUTH: the credentials are the problem. */
function authMessage(code: string | null, error: string | null, settings: SignInSettings): string {
  const app = `the app registration ${settings.clientId}`;
  switch (code) {
    case '7000215':
      return `The client secret is wrong or expired (AADSTS7000215). Create a new client secret for ${app} (Entra ID > App registrations > Certificates & secrets) and update this connection with it.`;
    case '7000222':
      return `The client secret has expired (AADSTS7000222). Create a new client secret for ${app} and update this connection with it.`;
    case '700016':
      return `Tenant ${settings.tenantId} has no application with client id ${settings.clientId} (AADSTS700016). Check the client id and the tenant id of this connection.`;
    case '90002':
      return `Tenant ${settings.tenantId} was not found (AADSTS90002). Check the tenant id (or domain) and the authority host of this connection.`;
    case '7000112':
      return `${app} is disabled (AADSTS7000112). Enable it in Entra ID or use another app registration.`;
    default:
      return `Microsoft Entra ID refused the sign-in (${[error, code ? `AADSTS${code}` : null].filter(Boolean).join(', ') || 'no reason given'}). Check the tenant id, client id and client secret of this connection.`;
  }
}

/**
 * @azure/identity reports a refused secret with the AADSTS code in its message, and every network
 * failure (refused, DNS, TLS) as the same "endpoints cannot be resolved". The first is parsed; for the
 * second the sign-in metadata is fetched once more with node:https to learn what actually went wrong.
 * Only codes and Entra's error names are kept from identity's text, never the text itself.
 */
async function explainSignInFailure(
  error: unknown,
  settings: SignInSettings,
  signal: AbortSignal,
): Promise<AppError> {
  if (error instanceof AppError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const aadsts = /AADSTS(\d{5,})/.exec(text)?.[1] ?? /Error\(s\):\s*(\d{5,})/.exec(text)?.[1] ?? null;
  const entraError =
    /\b(invalid_client|unauthorized_client|invalid_request|invalid_grant|invalid_tenant|invalid_scope)\b/.exec(
      text,
    )?.[1] ?? null;
  if (aadsts === '500011' || entraError === 'invalid_scope') {
    return new AppError(
      'CONNECTOR_AUTH',
      `Entra ID does not know the resource ${settings.graphUrl} in tenant ${settings.tenantId}${aadsts ? ` (AADSTS${aadsts})` : ''}: the Graph URL must belong to the same cloud as the authority host. Check both URLs of this connection.`,
    );
  }
  if (aadsts || entraError) return new AppError('CONNECTOR_AUTH', authMessage(aadsts, entraError, settings));
  return probeAuthority(settings, signal);
}

async function probeAuthority(settings: SignInSettings, signal: AbortSignal): Promise<AppError> {
  const url = new URL(
    `${settings.authorityHost}/${encodeURIComponent(settings.tenantId)}/v2.0/.well-known/openid-configuration`,
  );
  try {
    const answer = await httpsGet(
      url,
      { Accept: 'application/json' },
      { agent: settings.agent, timeoutMs: settings.requestTimeoutMs, signal },
    );
    const body = answer.body.toString('utf8');
    if (answer.status === 400 || answer.status === 404) {
      if (/invalid_tenant|AADSTS90002/.test(body)) {
        return new AppError('CONNECTOR_AUTH', authMessage('90002', 'invalid_tenant', settings));
      }
      return new AppError(
        'CONNECTOR_FAILED',
        `${url.host} has no sign-in metadata for tenant ${settings.tenantId} (HTTP ${answer.status}). Check the authority host and the tenant id of this connection.`,
      );
    }
    return new AppError(
      'CONNECTOR_FAILED',
      `Signing in at ${url.host} failed although the host answers (HTTP ${answer.status} for its sign-in metadata). Check the authority host of this connection and try again.`,
    );
  } catch (failure) {
    if (signal.aborted) return cancelledError();
    if (failure instanceof NetworkFailure) return unreachableError(url.host, failure, 'sign-in');
    return new AppError('CONNECTOR_FAILED', `Signing in at ${url.host} failed; try again.`);
  }
}
