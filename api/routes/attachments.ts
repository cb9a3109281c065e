import { createHash, randomBytes } from 'node:crypto';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { attachmentIdPattern, sha256, sniffType, type Attachments } from '../../lib/attachments';
import { whyNot } from '../../workflows/actions';
import { attachmentKinds, attachmentTypes, type AttachmentKind, type AttachmentType } from '../../workflows/model';
import { isArchived } from '../archived-case';
import { actorOf } from '../auth';
import { loadVisibleCase, readVisibleCase } from '../case-access';
import { AttachmentSchema, caseView, type AttachmentView } from '../case-view';
import { errorHandler, Problem, problemResponses, sendProblem } from '../problem';
import { CaseIdParams, Text } from '../schemas';
import { routeRoles } from './actions';

/** Who may download: whoever may read the case (GET /complaints/{id}), within the same scope. */
const readers = ['integrator', 'registrar', 'unit', 'leader', 'supervisor', 'ops'] as const;

const extensions: Record<AttachmentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'video/mp4': 'mp4',
};

const UploadQuery = Type.Object(
  {
    kind: Type.Enum(attachmentKinds, { description: '现场照片 evidence_photo, 检查记录 inspection_record, 处罚决定书 penalty_decision, other' }),
    name: Type.Optional(
      Text(200, { example: '现场照片.jpg', description: 'the file name to download it under; without it, the kind and the type (`evidence_photo.jpg`)' }),
    ),
  },
  { additionalProperties: false },
);

const AttachmentParams = Type.Object({ id: CaseIdParams.properties.id, attachmentId: Type.String({ pattern: attachmentIdPattern }) });

/**
 * The attachment id: random, or with an Idempotency-Key one made of the caller, the key, the case
 * and what was sent, so a retry stores its object under the same name (the same bytes again) and
 * its Update carries the same id (Temporal answers it with the first outcome).
 */
function attachmentId(caller: string, key: string | undefined, caseId: string, what: unknown): string {
  if (key === undefined) return randomBytes(16).toString('base64url');
  return createHash('sha256')
    .update(JSON.stringify([caller, key, caseId, what]))
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266, RFC 5987): an ASCII stand-in for old clients, the real name for the rest. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A store that fails (S3 down, a disk full) is a "not now", never a 500. */
async function fromStore<T>(request: FastifyRequest, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    request.log.warn({ err }, 'attachment store failed');
    throw new Problem('object-store-unavailable', undefined, {}, err);
  }
}

/** The file field named in a 413, as in a 415: the limit is the deployment's (ATTACHMENTS_MAX_MB). */
function uploadErrors(maxBytes: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply =>
    error.statusCode === 413
      ? sendProblem(request, reply, 'payload-too-large', `the file is larger than ${maxBytes / 1024 / 1024} MiB`, {
          errors: [{ field: 'file', message: `must be at most ${maxBytes} bytes` }],
        })
      : errorHandler(error, request, reply);
}

/**
 * Attachments (附件): `POST /complaints/{id}/attachments` stores a file (the request body, raw) and
 * then tells the case (Update `attach`), `GET …/attachments/{attachmentId}` hands it back to whoever
 * may read the case. The workflow keeps the reference only (workflows/actions.ts `attach`).
 */
export const attachmentRoutes: FastifyPluginAsync<{ attachments: Attachments }> = async (app, { attachments }) => {
  const { maxBytes } = attachments;
  const roles = routeRoles('attach');
  const tooLarge = uploadErrors(maxBytes);

  // The raw body, whatever its Content-Type says: the type is judged by the content. Only here:
  // everywhere else the API takes JSON alone.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => done(null, body));

  app.post<{ Params: Static<typeof CaseIdParams>; Querystring: Static<typeof UploadQuery> }>(
    '/complaints/:id/attachments',
    {
      config: { roles },
      bodyLimit: maxBytes,
      errorHandler: (error, request, reply) => void tooLarge(error, request, reply),
      schema: {
        tags: ['actions'],
        summary: 'Attach a file to the case (上传附件): an evidence photo, an inspection record, a penalty decision',
        description:
          `Update \`attach\` of the case workflow. Roles: ${roles.join(', ')}. A unit attaches to its own cases only. ` +
          'The body is the file itself (`Content-Type: application/octet-stream`, or its own type), not a form: JPEG, PNG, WebP, PDF or MP4, ' +
          `judged by its content, not its name or Content-Type (415 otherwise), at most ${maxBytes / 1024 / 1024} MiB (413). ` +
          'The file is stored, encrypted, before the case is told; the case keeps its id, SHA-256, size and type, never the bytes. ' +
          'With an `Idempotency-Key` a retry answers the same attachment and adds it once.',
        params: CaseIdParams,
        querystring: UploadQuery,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Text(200)) }),
        consumes: ['application/octet-stream'],
        // No `type` or `format`: the validator reads the schema too, and the body is a Buffer, not a string.
        body: Type.Unsafe<Buffer>({ description: 'The file, as bytes (binary).' }),
        response: { 201: AttachmentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caseId = request.params.id;
      const file: unknown = request.body;
      if (!Buffer.isBuffer(file)) {
        throw new Problem('unsupported-file-type', 'send the file itself as the body', { errors: [{ field: 'file', message: 'is not a file' }] });
      }
      if (file.length === 0) throw new Problem('validation', 'the file is empty', { errors: [{ field: 'file', message: 'is empty' }] });
      const mimeType = sniffType(file);
      if (!mimeType) {
        throw new Problem('unsupported-file-type', 'the file is not a JPEG, PNG, WebP, PDF or MP4 file (judged by its content, not its name)', {
          errors: [{ field: 'file', message: 'must be a JPEG, PNG, WebP, PDF or MP4 file' }],
        });
      }
      const actor = actorOf(request.principal, roles);
      // Who may attach, checked before anything is stored: a file refused later would lie unreferenced.
      const record = await readVisibleCase(app, request, caseId);
      if (isArchived(record)) throw new Problem('case-archived', 'the case is closed and its workflow has completed');
      const refused = whyNot(record, 'attach', actor);
      if (refused) throw new Problem('action-rejected', refused);

      const kind: AttachmentKind = request.query.kind;
      const name = request.query.name ?? `${kind}.${extensions[mimeType]}`;
      const digest = sha256(file);
      const header = request.headers['idempotency-key'];
      const key = typeof header === 'string' ? header : undefined;
      const sent = { kind, name, sha256: digest };
      const id = attachmentId(request.principal.id, key, caseId, sent);
      // The object first: once the case names it, it is there to download.
      await fromStore(request, () => attachments.save(caseId, id, file));
      const outcome = await app.gateway
        .act(
          caseId,
          'attach',
          { actor, id, kind, name, mimeType, size: file.length, sha256: digest },
          key ? { caller: request.principal.id, key, body: sent } : undefined,
        )
        .catch(async (err: unknown) => {
          if (err instanceof Problem && err.problem === 'case-archived') await loadVisibleCase(app, request, caseId);
          throw err;
        });
      const at = ('recorded' in outcome ? outcome.recorded : outcome.timeline).find((t) => t.kind === 'attachment_added' && t.data?.id === id)?.at;
      const attachment: AttachmentView = { id, kind, name, mimeType, size: file.length, sha256: digest, by: actor.id, at: at ?? new Date().toISOString() };
      return reply.code(201).header('location', `/complaints/${caseId}/attachments/${id}`).send(attachment);
    },
  );

  app.get<{ Params: Static<typeof AttachmentParams> }>(
    '/complaints/:id/attachments/:attachmentId',
    {
      config: { roles: readers },
      schema: {
        tags: ['complaints'],
        summary: 'Download an attachment of the case (附件)',
        description:
          'The file as uploaded, with its type, its name (Content-Disposition, RFC 5987 for Chinese names) and `X-Content-Type-Options: nosniff`, ' +
          'to whoever may read the case (404 outside their scope, as for the case). Its SHA-256 is checked against the case before it is sent: ' +
          '404 when the store has lost the file, 500 `attachment-corrupt` when what it holds is not that file.',
        params: AttachmentParams,
        response: {
          // Each type a file may have: the answer's Content-Type is the file's own.
          200: {
            description: 'The file',
            content: Object.fromEntries(attachmentTypes.map((type) => [type, { schema: Type.Unsafe({ type: 'string', format: 'binary' }) }])),
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { id: caseId, attachmentId: wanted } = request.params;
      const attachment = caseView(await readVisibleCase(app, request, caseId)).attachments.find((a) => a.id === wanted);
      if (!attachment) throw new Problem('not-found', `case ${caseId} has no attachment ${wanted}`);
      const file = await fromStore(request, () => attachments.read(caseId, wanted, attachment.sha256));
      if (file === 'missing') throw new Problem('not-found', `the file of attachment ${wanted} is not in the attachment store`);
      if (file === 'corrupt') {
        request.log.error({ caseId, attachmentId: wanted }, 'attachment does not match its recorded SHA-256 (or does not decrypt)');
        throw new Problem('attachment-corrupt', `the stored file of attachment ${wanted} does not match its SHA-256`);
      }
      // Read whole before the first byte goes out: the hash is checked before anything is sent.
      return reply
        .type(attachment.mimeType)
        .header('content-disposition', contentDisposition(attachment.name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('etag', `"${attachment.sha256}"`)
        .send(file);
    },
  );
};
