import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, type Server } from 'node:http';
import type { LookupFunction } from 'node:net';

/** A text the stand-in accepted, as the gateway would send it. */
export interface Texted {
  phone: string;
  templateId: string;
  values: string[];
  signName: string;
  reference: string;
}

export interface GatewayAccount {
  secretId: string;
  secretKey: string;
  appId: string;
  signName: string;
  /** The approved templates: id and how many variables each has. */
  templates: Record<string, number>;
}

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * A local stand-in of Tencent Cloud's SMS API (`SendSms`, 2021-01-11) on 127.0.0.1. It checks each
 * request's TC3-HMAC-SHA256 signature as the API's documentation writes the algorithm (signature
 * v3: canonical request, string to sign, derived key), written here from that page and not from
 * the SDK, and then the request: application, signature name, template and its variable count.
 * It answers as the API does, with an error code in a 200 when it refuses.
 */
export class LocalSmsGateway {
  readonly texted: Texted[] = [];
  /** Requests it refused, by the error code it answered. */
  readonly refused: string[] = [];
  private server: Server | undefined;

  constructor(
    readonly port: number,
    public account: GatewayAccount,
  ) {}

  /** The endpoint the service is given: named as the real one, which `agent` routes here. */
  get url(): string {
    return `http://sms.tencentcloudapi.com:${this.port}`;
  }

  /** Connects every host name to 127.0.0.1, as a relay in front of the gateway would. */
  readonly agent = new Agent({
    lookup: ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    }) as LookupFunction,
  });

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = this.answer(request, body);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ Response: { ...answer, RequestId: `req-${this.texted.length + this.refused.length}` } }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private refuse(code: string, message: string) {
    this.refused.push(code);
    return { Error: { Code: code, Message: message } };
  }

  /** Why the signature is wrong, or undefined when it is right. */
  signatureProblem(request: Pick<IncomingMessage, 'method' | 'url' | 'headers'>, body: string): string | undefined {
    const authorization = String(request.headers.authorization ?? '');
    const match =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    if (!match) return 'the Authorization header is not TC3-HMAC-SHA256';
    const [, secretId, date, service, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
    if (secretId !== this.account.secretId) return 'unknown SecretId';
    if (service !== 'sms') return `the credential scope names service ${service}`;
    const timestamp = Number(request.headers['x-tc-timestamp']);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return 'the timestamp is more than 5 minutes off';
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return "the credential's date is not the timestamp's (UTC)";
    const names = signedHeaders.split(';');
    if (!names.includes('host') || !names.includes('content-type')) return 'content-type and host must be signed';
    // The host as the client named it, without the port: what the documentation signs.
    const value = (name: string) => (name === 'host' ? String(request.headers.host).replace(/:\d+$/, '') : String(request.headers[name] ?? ''));
    const canonicalHeaders = names.map((name) => `${name}:${value(name).trim().toLowerCase()}\n`).join('');
    const [path, query = ''] = (request.url ?? '/').split('?') as [string, string?];
    const canonicalRequest = [request.method, path, query, canonicalHeaders, signedHeaders, sha256(body)].join('\n');
    const stringToSign = ['TC3-HMAC-SHA256', String(timestamp), `${date}/${service}/tc3_request`, sha256(canonicalRequest)].join('\n');
    const key = hmac(hmac(hmac(`TC3${this.account.secretKey}`, date), service), 'tc3_request');
    const expected = hmac(key, stringToSign);
    return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? undefined : 'the signature does not match';
  }

  private answer(request: IncomingMessage, body: string): Record<string, unknown> {
    const wrong = this.signatureProblem(request, body);
    if (wrong) return this.refuse('AuthFailure.SignatureFailure', wrong);
    if (request.headers['x-tc-action'] !== 'SendSms' || request.headers['x-tc-version'] !== '2021-01-11') {
      return this.refuse('InvalidAction', 'only SendSms, version 2021-01-11');
    }
    const sent = JSON.parse(body) as {
      PhoneNumberSet: string[];
      SmsSdkAppId: string;
      SignName: string;
      TemplateId: string;
      TemplateParamSet?: string[];
      SessionContext?: string;
    };
    if (sent.SmsSdkAppId !== this.account.appId) return this.refuse('FailedOperation.SmsSdkAppIdVerifyFail', 'unknown SmsSdkAppId');
    if (sent.SignName !== this.account.signName) return this.refuse('FailedOperation.SignatureIncorrectOrUnapproved', 'unapproved signature');
    const variables = this.account.templates[sent.TemplateId];
    if (variables === undefined) return this.refuse('FailedOperation.TemplateIncorrectOrUnapproved', 'unapproved template');
    const values = sent.TemplateParamSet ?? [];
    if (values.length !== variables) return this.refuse('InvalidParameterValue.TemplateParameterFormatError', `the template has ${variables} variables`);
    const status = sent.PhoneNumberSet.map((phone) => {
      if (!/^\+861[3-9]\d{9}$/.test(phone)) return { PhoneNumber: phone, Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: 'not a mobile number' };
      this.texted.push({ phone, templateId: sent.TemplateId, values, signName: sent.SignName, reference: sent.SessionContext ?? '' });
      return {
        PhoneNumber: phone,
        Code: 'Ok',
        Message: 'send success',
        SerialNo: `serial-${this.texted.length}`,
        Fee: 1,
        IsoCode: 'CN',
        SessionContext: sent.SessionContext ?? '',
      };
    });
    return { SendStatusSet: status };
  }
}
