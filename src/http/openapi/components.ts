/** The error shapes and security schemes every surface of the OpenAPI document refers to (decision 0032). */
import * as z from 'zod';
import { OAuthErrorAnswer } from '../../oauth/answers.ts';
import { ScimErrorAnswer } from '../../directory-sync/scim/answers.ts';

/** RFC 9457 problem JSON, as `sendProblem` and `sendCustomerProblem` write it (`error.message` for Jackson's clients). */
export const ProblemAnswer = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().describe('A stable code from the error catalog (src/errors.ts), e.g. API_VALIDATION.'),
  field: z.string().optional().describe('The input field at fault.'),
  error: z.object({ message: z.string() }),
}).meta({ title: 'Problem' });

export const errorSchemas = { Problem: ProblemAnswer, OAuthError: OAuthErrorAnswer, ScimError: ScimErrorAnswer };

export const securitySchemes = {
  apiKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Authorization: Api-Key <key>` (any scheme word is accepted before the key, e.g. `Bearer <key>`). Keys come from `API_KEYS` or the Admin Portal, with their permissions.' },
  clientSecretBasic: { type: 'http', scheme: 'basic', description: 'OAuth client authentication: `client_id:client_secret` (or send them in the form; public clients send `client_id` and a PKCE `code_verifier`).' },
  accessToken: { type: 'http', scheme: 'bearer', description: 'An access token from the token endpoint.' },
  scimBearer: { type: 'http', scheme: 'bearer', description: 'The directory\'s SCIM secret, shown once when the directory is created or its secret rotated.' },
  metricsToken: { type: 'http', scheme: 'bearer', description: '`METRICS_TOKEN`, when set.' },
} as const;
