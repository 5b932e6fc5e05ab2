/** Management API inputs for tenants, domains and products. */
import * as z from 'zod';
import { isAbsoluteHttpUrl } from '../input/http-url.ts';
import { SessionSettingsInput } from './session-settings.ts';
import { ProductRolesInput } from './product-roles.ts';
import { PortalSettingsInput } from './portal-settings.ts';

const id = z.string().min(1, 'is required').max(191).regex(/^[^\s]+$/, 'must not contain spaces');
const url = z.string().refine(isAbsoluteHttpUrl, 'must be an absolute http(s) URL');

export const CreateTenantInput = z.object({ tenant: id, enterpriseKey: id.regex(/^[A-Za-z0-9._-]+$/, 'may use letters, digits, dot, dash and underscore').optional(), name: z.string().max(256).optional() });
export const UpdateTenantInput = z.object({ enterpriseKey: CreateTenantInput.shape.enterpriseKey, name: z.string().max(256).optional() });
export const AddDomainInput = z.object({ domain: z.string().min(3, 'is required').max(253) });
export const CreateProductInput = z.object({ product: id, name: z.string().max(256).optional(), defaultRedirectUrl: url.optional(), initiateLoginUri: url.optional(), roles: ProductRolesInput.optional(), ...SessionSettingsInput.shape, ...PortalSettingsInput.shape });
export const UpdateProductInput = z.object({ name: z.string().max(256).optional(), defaultRedirectUrl: url.nullable().optional(), initiateLoginUri: url.nullable().optional(), roles: ProductRolesInput.optional(), ...SessionSettingsInput.shape, ...PortalSettingsInput.shape });
