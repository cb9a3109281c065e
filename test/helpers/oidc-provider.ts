import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
// @ts-expect-error -- oidc-provider ships no type declarations; the little used here is typed below.
import Provider from 'oidc-provider';
import { freePort } from './ports';

export interface TestAccount {
  sub: string;
  name: string;
  preferred_username: string;
}

export interface TestOidcProvider {
  /** http://127.0.0.1:<port>: openid-client accepts http for it only because it is loopback. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * Signs `sub` in as a browser would, starting from the client's authorization URL, and answers
   * the URL the provider then redirects the browser to (redirectUri with code, state and iss):
   * nothing needs to listen at redirectUri.
   */
  signIn(authorizationUrl: string, sub: string): Promise<string>;
  close(): Promise<void>;
}

/** The part of oidc-provider's Provider (a Koa application) this helper uses. */
type ProviderConstructor = new (issuer: string, configuration: object) => { callback(): (req: IncomingMessage, res: ServerResponse) => void };

/**
 * A real oidc-provider on 127.0.0.1 with one confidential client (client_secret_basic, code flow,
 * PKCE required) and the given accounts, whose login and consent are oidc-provider's development
 * interactions: a login form that takes any login name (the account's `sub`), then a consent form.
 */
export async function startOidcProvider(options: { redirectUri: string; accounts: TestAccount[] }): Promise<TestOidcProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'complaint-service';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]));

  const provider = quietly(
    () =>
      new (Provider as ProviderConstructor)(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [options.redirectUri],
            response_types: ['code'],
            grant_types: ['authorization_code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        pkce: { required: () => true },
        claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
        async findAccount(_ctx: unknown, sub: string) {
          const account = accounts.get(sub);
          return account && { accountId: sub, claims: async () => ({ ...account }) };
        },
        features: { devInteractions: { enabled: true } },
        cookies: { keys: [randomBytes(32).toString('base64url')] },
        // Seconds; short, so nothing a test leaves behind lives on.
        ttl: { AuthorizationCode: 60, AccessToken: 120, IdToken: 120, Interaction: 120, Session: 300, Grant: 300 },
      }),
  );

  const server = createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signIn: async (authorizationUrl, sub) => {
      if (!accounts.has(sub)) throw new Error(`no test account ${sub}`);
      return browse(new URL(authorizationUrl), new URL(options.redirectUri), sub);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // fetch keeps its connections alive; close() alone would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

/**
 * Follows the provider's redirects from the authorization request, filling in the login form
 * with `sub` and accepting the consent form, until the provider redirects to `redirectUri`.
 */
async function browse(start: URL, redirectUri: URL, sub: string): Promise<string> {
  const cookies = new CookieJar();
  let url = start;
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    const cookie = cookies.header(url);
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      body: form,
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
    cookies.store(response, url);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.origin === redirectUri.origin && next.pathname === redirectUri.pathname) return next.href;
      url = next;
      form = undefined;
      continue;
    }
    const page = await response.text();
    if (response.status !== 200) throw new Error(`the provider answered ${response.status} to ${url.pathname}: ${page.slice(0, 300)}`);
    // devInteractions' login and consent pages each hold one form posting its `prompt` back.
    const action = /<form[^>]*\saction="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (!action || (prompt !== 'login' && prompt !== 'consent')) throw new Error(`no login or consent form at ${url.pathname}`);
    url = new URL(action, url);
    form = new URLSearchParams(prompt === 'login' ? { prompt, login: sub, password: 'any' } : { prompt });
  }
  throw new Error(`the provider did not redirect to ${redirectUri.href} within 12 steps`);
}

/** The provider's cookies (session, interaction, signed with `.sig` companions), by name and path, as a browser keeps them. */
class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(response: Response, url: URL): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      // Without a Path attribute, a cookie belongs to the request's directory (RFC 6265 5.1.4).
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? (url.pathname.replace(/\/[^/]*$/, '') || '/');
      const expired = attributes.some((a) => a.toLowerCase().startsWith('expires=') && Date.parse(a.slice(8)) <= Date.now());
      const key = `${name};${path}`;
      if (value === '' || expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter(({ path }) => url.pathname === path || url.pathname.startsWith(path.endsWith('/') ? path : `${path}/`))
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

/**
 * Runs `make` with oidc-provider's construction-time warnings (in-memory adapter, development
 * signing keys, devInteractions) kept off the test output: each is what a test wants.
 */
function quietly<T>(make: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('oidc-provider WARNING')) warn(...args);
  };
  try {
    return make();
  } finally {
    console.warn = warn;
  }
}
