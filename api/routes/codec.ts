import cors from '@fastify/cors';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsync } from 'fastify';
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
 * The Temporal Web UI's and CLI's "remote codec" protocol: POST /codec/decode and /codec/encode
 * with `{ payloads: [...] }`. Only ops keys may decode, so complainants stay confidential to
 * everyone else who can see the cluster.
 */
export const codecRoutes: FastifyPluginAsync<{ codec: PayloadCodec; origins: string[] }> = async (app, { codec, origins }) => {
  await app.register(cors, {
    origin: origins,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-namespace'],
    credentials: true,
  });
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
