import { Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Value } from 'typebox/value';
import { readWorkOrder, type HotlineMapping } from '../../lib/hotline';
import { Problem, problemResponses } from '../problem';
import { ComplaintSubmissionSchema, type ComplaintSubmission } from '../schemas';
import { registerComplaint, RegisteredSchema } from './complaints';

/** Our field of a submission → the work order's, so a refusal names what the platform sent. */
const platformField = (mapping: HotlineMapping, path: string): string => {
  const { fields } = mapping;
  const names: Record<string, string> = {
    '/description': fields.content,
    '/location/address': fields.address,
    '/location/district': fields.district,
    '/category': fields.type,
    '/complainant/name': fields.caller,
    '/complainant/phone': fields.contact,
  };
  return names[path] ?? path.slice(1).replaceAll('/', '.');
};

/**
 * A hotline platform (12345, 12369) hands a work order (工单) over: its fields are read through the
 * mapping (HOTLINE_MAPPING_FILE) and registered as a complaint of the calling platform, once per
 * work-order number. The platform hears the steps back through a webhook subscription of format
 * `hotline` (README, "Hotline work orders").
 */
export const hotlineRoutes: FastifyPluginAsync<{ mapping: HotlineMapping }> = async (app, { mapping }) => {
  app.post<{ Body: Record<string, unknown> }>(
    '/hotline/work-orders',
    {
      config: { roles: ['integrator'], deadline: 'intake' },
      schema: {
        tags: ['complaints'],
        summary: 'Register a hotline work order (工单), once per work-order number',
        description: `The fields by the platform's names (by default: ${Object.values(mapping.fields).slice(0, 8).join('、')}). A repeat of a work-order number answers the same case with 200; the same number with other fields is 409.`,
        body: Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String({ maxLength: 5000 }), Type.Number()]), { maxProperties: 50 }),
        response: { 200: RegisteredSchema, 201: RegisteredSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const order = readWorkOrder(mapping, request.body);
      if ('errors' in order) throw new Problem('validation', 'invalid work order', { errors: order.errors });
      const submission: Omit<ComplaintSubmission, 'externalId'> = {
        channel: mapping.channel ?? 'hotline_12345',
        category: order.category,
        description: order.description,
        location: { address: order.address, district: order.district },
        complainant:
          order.caller || order.contact
            ? { anonymous: false, ...(order.caller ? { name: order.caller } : {}), ...(order.contact ? { phone: order.contact } : {}) }
            : { anonymous: true },
      };
      const wrong = [...Value.Errors(ComplaintSubmissionSchema, submission)];
      if (wrong.length > 0) {
        throw new Problem('validation', 'invalid work order', {
          errors: wrong.map((e) => ({ field: platformField(mapping, e.instancePath), message: e.message })),
        });
      }
      const { receipt, created } = await registerComplaint(
        app,
        request.principal,
        submission,
        { key: `work-order:${order.number}`, body: request.body },
        {
          workOrder: { number: order.number, ...(order.dueAt ? { dueAt: order.dueAt } : {}) },
        },
      );
      return reply
        .code(created ? 201 : 200)
        .header('location', `/complaints/${receipt.id}`)
        .send(receipt);
    },
  );
};
