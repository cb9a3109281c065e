import type { Agent } from 'node:http';
import { sms } from 'tencentcloud-sdk-nodejs-sms';
import type { Config } from './config';

/**
 * One SMS as gateways in China take it: a template approved beforehand (模板) under the bureau's
 * signature (签名), and the values of its variables in order. No gateway sends free text.
 */
export interface Sms {
  /** A mainland mobile number, 11 digits. */
  phone: string;
  /** The gateway's id of the approved template. */
  templateId: string;
  /** The template's variables, `{1}`, `{2}`…, in order. */
  values: string[];
  /** Our id of this delivery, handed back in the gateway's receipts. */
  reference: string;
}

/** Sends SMS through one provider; answers the provider's id of the message. */
export interface SmsGateway {
  send(message: Sms): Promise<string>;
}

/** A gateway's refusal that no retry will change: wrong credentials, an unapproved template, a number it will not reach. */
export class PermanentSmsError extends Error {
  override name = 'PermanentSmsError';
}

export interface TencentSmsOptions {
  /** The API's endpoint: `https://sms.tencentcloudapi.com`. */
  url: string;
  secretId: string;
  secretKey: string;
  /** The SMS application (SmsSdkAppId). */
  appId: string;
  /** The approved signature, e.g. `某市生态环境局`. */
  signName: string;
  region: string;
  /** How to reach the endpoint, when not as its name resolves (a relay; the tests' stand-in). */
  agent?: Agent;
}

/**
 * Answers Tencent Cloud gives that a later attempt may not: its own faults and rate limits. Every
 * other error code (authentication, parameters, templates, the number) is the request's fault.
 */
const passing = /^(InternalError|RequestLimitExceeded|LimitExceeded|ResourceUnavailable|FailedOperation\.InsufficientBalanceInSmsPackage$)/;

const refusal = (code: string | undefined, message: string) => (code && !passing.test(code) ? new PermanentSmsError(`${code}: ${message}`) : undefined);

/**
 * Tencent Cloud SMS (短信, API 2021-01-11), through its official SDK, which signs every request
 * with TC3-HMAC-SHA256. The SDK names the signing service after the endpoint's first label, so the
 * endpoint keeps its name (`sms.…`) even where `agent` routes it elsewhere.
 */
export function tencentSms(options: TencentSmsOptions): SmsGateway {
  const endpoint = new URL(options.url);
  const client = new sms.v20210111.Client({
    credential: { secretId: options.secretId, secretKey: options.secretKey },
    region: options.region,
    profile: {
      httpProfile: { endpoint: endpoint.host, protocol: `${endpoint.protocol}//`, reqTimeout: 30, ...(options.agent ? { agent: options.agent } : {}) },
    },
  });
  return {
    async send({ phone, templateId, values, reference }) {
      let answer;
      try {
        answer = await client.SendSms({
          PhoneNumberSet: [`+86${phone}`],
          SmsSdkAppId: options.appId,
          SignName: options.signName,
          TemplateId: templateId,
          TemplateParamSet: values,
          SessionContext: reference,
        });
      } catch (err) {
        const { code, httpCode, message } = err as { code?: string; httpCode?: number; message: string };
        // An HTTP error is the endpoint's answer, not the API's: 4xx is a wrong URL, except waiting.
        const wrongPlace = httpCode !== undefined && httpCode >= 400 && httpCode < 500 && httpCode !== 408 && httpCode !== 429;
        throw refusal(code, message) ?? (wrongPlace ? new PermanentSmsError(`HTTP ${httpCode}: ${message}`) : err);
      }
      const [status] = answer.SendStatusSet ?? [];
      if (status?.Code === 'Ok') return status.SerialNo ?? answer.RequestId ?? reference;
      throw refusal(status?.Code, status?.Message ?? '') ?? new Error(`the gateway did not send: ${status?.Code ?? 'no status'} ${status?.Message ?? ''}`);
    },
  };
}

/** The gateway configured by SMS_* (all set or none, which lib/config.ts checks), or none. */
export function smsGatewayFor(
  config: Pick<Config, 'smsUrl' | 'smsSecretId' | 'smsSecretKey' | 'smsAppId' | 'smsSignName' | 'smsRegion'>,
): SmsGateway | undefined {
  const { smsUrl: url, smsSecretId: secretId, smsSecretKey: secretKey, smsAppId: appId, smsSignName: signName, smsRegion: region } = config;
  if (!url || !secretId || !secretKey || !appId || !signName) return undefined;
  return tencentSms({ url, secretId, secretKey, appId, signName, region });
}
