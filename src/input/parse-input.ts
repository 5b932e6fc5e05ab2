/**
 * Request bodies of every service (connections, tenancy, directories, setup links, admin) go through
 * one parser, so a bad field is always a 400 that names it, whichever surface sent it.
 */
import type { z } from 'zod';
import { GatehouseError } from '../errors.ts';

/** Turns a zod failure into a 400 that names the field. */
export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    throw new GatehouseError('API_VALIDATION', `"${field}" ${issue.code === 'invalid_type' ? 'is required or has the wrong type' : issue.message}.`, { field });
  }
  return r.data;
}
