import cors from '@fastify/cors';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsync } from 'fastify';
import { problemResponses } from '../problem';

const PayloadJson = Type.Object(
  {
    metadata: Type.Optional(Type.Record(Type.String(), Type.String({ description: 'base64' }))),
    data: Type.Optional(Type.String({ description: 'base64' })),
  },
  { additionalProperties: true },
);
const PayloadsJson = Type.Object({ payloads: Type.Array(PayloadJson, { maxItems: 1000 }) });
type PayloadsJson = Static<typeof PayloadsJson>;

function fromJson({ payloads }: PayloadsJson): Payload[] {
  return payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
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
    body: PayloadsJson,
    response: { 200: PayloadsJson, ...problemResponses },
  };
  app.post<{ Body: PayloadsJson }>(
    '/codec/decode',
    { config: { roles: ['ops'] }, schema: { ...schema, summary: 'Decrypt payloads for the Temporal UI or CLI' } },
    async (request) => toJson(await codec.decode(fromJson(request.body))),
  );
  app.post<{ Body: PayloadsJson }>(
    '/codec/encode',
    { config: { roles: ['ops'] }, schema: { ...schema, summary: 'Encrypt payloads (for signals sent from the UI)' } },
    async (request) => toJson(await codec.encode(fromJson(request.body))),
  );
};
