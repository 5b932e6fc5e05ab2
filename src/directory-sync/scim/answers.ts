/**
 * SCIM 2.0 answers (RFC 7643/7644) as zod schemas: the OpenAPI document describes them (decision 0032) and the
 * tests validate real answers against them. The resources stay open: IdPs send extension schemas we keep.
 */
import * as z from 'zod';

const meta = z.looseObject({ resourceType: z.string(), created: z.string(), lastModified: z.string(), location: z.string(), version: z.string().optional() });

export const ScimUser = z.looseObject({
  schemas: z.array(z.string()),
  id: z.string(),
  externalId: z.string().optional(),
  userName: z.string(),
  name: z.looseObject({ givenName: z.string().optional(), familyName: z.string().optional(), formatted: z.string().optional() }).optional(),
  emails: z.array(z.looseObject({ value: z.string(), primary: z.boolean().optional(), type: z.string().optional() })).optional(),
  active: z.boolean(),
  groups: z.array(z.looseObject({ value: z.string(), display: z.string().optional() })).optional(),
  meta,
}).meta({ title: 'ScimUser' });

export const ScimGroup = z.looseObject({
  schemas: z.array(z.string()),
  id: z.string(),
  externalId: z.string().optional(),
  displayName: z.string(),
  members: z.array(z.looseObject({ value: z.string(), display: z.string().optional() })).optional(),
  meta,
}).meta({ title: 'ScimGroup' });

export const scimListOf = (item: z.ZodType) => z.object({
  schemas: z.tuple([z.literal('urn:ietf:params:scim:api:messages:2.0:ListResponse')]),
  totalResults: z.number().int(),
  startIndex: z.number().int().optional(),
  itemsPerPage: z.number().int().optional(),
  Resources: z.array(item),
});

/** RFC 7644 §3.12: `status` is a string. */
export const ScimErrorAnswer = z.object({
  schemas: z.tuple([z.literal('urn:ietf:params:scim:api:messages:2.0:Error')]),
  status: z.string(),
  scimType: z.string().optional(),
  detail: z.string().optional(),
}).meta({ title: 'ScimError' });
