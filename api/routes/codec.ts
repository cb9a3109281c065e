import cors from '@fastify/cors';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Problem, problemResponses } from '../problem';

/** protojson writes bytes as base64 (standard or URL-safe alphabet). */
const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/_-]*={0,2}$', description: 'base64' });
const PayloadJson = Type.Object(
  {
    // Any key, each value base64: a Record's key pattern (.*) would let a key with a line break
    // through unchecked.
    metadata: Type.Optional(Type.Object({}, { additionalProperties: Base64 })),
    data: Type.Optional(Base64),
  },
  { additionalProperties: true },
);
const PayloadsJson = Type.Object({ payloads: Type.Array(PayloadJson, { maxItems: 1000 }) });
type PayloadsJson = Static<typeof PayloadsJson>;
// protojson leaves an empty list out, so the Temporal CLI asks with `{}` for no payloads.
const PayloadsBody = Type.Object({ payloads: Type.Optional(PayloadsJson.properties.payloads) });
type PayloadsBody = Static<typeof PayloadsBody>;

function fromJson({ payloads = [] }: PayloadsBody): Payload[] {
  return payloads.map((p) => ({
    metadata: Object.fromEntries((Object.entries(p.metadata ?? {}) as [string, string][]).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  }));
}

function toJson(payloads: Payload[]): PayloadsJson {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? []).toString('base64'),
    })),
  };
}

/**
 * Decodes payload by payload, so a payload this service cannot decrypt or parse (another
 * deployment's key, a tampered or truncated one) answers 400 naming it rather than a 500.
 */
async function decodeEach(codec: PayloadCodec, payloads: Payload[]): Promise<Payload[]> {
  const decoded: Payload[] = [];
  for (const [index, payload] of payloads.entries()) {
    try {
      decoded.push(...(await codec.decode([payload])));
    } catch (err) {
      const field = `payloads.${index}`;
      const errors = [{ field, message: 'cannot be decrypted or decoded with the keys of this service' }];
      throw new Problem('validation', `${field} cannot be decoded`, { errors }, err);
    }
  }
  return decoded;
}

/**
 * Every answer to an allowed origin carries its CORS headers, the refusals too: without them the
 * browser hides the answer from the UI, which then cannot say why decoding failed. @fastify/cors
 * sets them in an onRequest hook of this plugin, which runs after the app's own (authentication,
 * rate limit): a 401, 403 or 429 thrown there never reaches it. onSend runs for every answer.
 */
function corsOnEveryAnswer(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins);
  app.addHook('onSend', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !allowed.has(origin) || reply.hasHeader('access-control-allow-origin')) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    const vary = reply.getHeader('vary');
    if (!String(vary ?? '').includes('Origin')) reply.header('vary', vary ? `${String(vary)}, Origin` : 'Origin');
  });
}

/**
 * The Temporal Web UI's and CLI's "remote codec" protocol: POST /codec/decode and /codec/encode
 * with `{ payloads: [...] }`. Only ops decode: a person signed in with the ops role (the session
 * cookie, which the Web UI sends from the API's own origin, api/routes/temporal-ui.ts, or with
 * "include credentials" from an origin in `origins`), or an ops key (the CLI). Everyone else who
 * can see the cluster gets 401 or 403, and complainants stay confidential to them.
 */
export const codecRoutes: FastifyPluginAsync<{ codec: PayloadCodec; origins: string[] }> = async (app, { codec, origins }) => {
  await app.register(cors, {
    origin: origins,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-namespace'],
    credentials: true,
  });
  corsOnEveryAnswer(app, origins);
  const schema = {
    tags: ['ops'],
    body: PayloadsBody,
    response: { 200: PayloadsJson, ...problemResponses },
  };
  app.post<{ Body: PayloadsBody }>(
    '/codec/decode',
    { config: { roles: ['ops'] }, schema: { ...schema, summary: 'Decrypt payloads for the Temporal UI or CLI' } },
    async (request) => toJson(await decodeEach(codec, fromJson(request.body))),
  );
  app.post<{ Body: PayloadsBody }>(
    '/codec/encode',
    { config: { roles: ['ops'] }, schema: { ...schema, summary: 'Encrypt payloads (for signals sent from the UI)' } },
    async (request) => toJson(await codec.encode(fromJson(request.body))),
  );
};
