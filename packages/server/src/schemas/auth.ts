import { z } from '@hono/zod-openapi';

const Role = z.enum(['admin', 'editor', 'viewer']);

/** A user as the API returns it (never the password hash). */
export const UserSchema = z
  .object({
    id: z.string(),
    tenant: z.string(),
    email: z.string(),
    role: Role,
    disabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

export const Credentials = z
  .object({
    email: z.string().email().max(254),
    password: z.string().min(1).max(1024).openapi({
      description: 'At most 72 bytes can ever match (bcrypt’s limit); a longer one is a wrong password',
    }),
    tenant: z.string().min(1).max(100).optional().openapi({
      description:
        'The tenant whose account to open. Needed only when the email and password open accounts in several tenants (409 TENANT_REQUIRED lists them)',
      example: 'default',
    }),
    /** `cookie`: the web page's session, set as HttpOnly cookies instead of returned. */
    session: z.enum(['token', 'cookie']).default('token'),
  })
  .openapi('Credentials');

export const SessionSchema = z
  .object({
    accessToken: z.string().optional(),
    tokenType: z.literal('Bearer').optional(),
    expiresIn: z.number().int(),
    refreshToken: z.string().optional(),
    user: UserSchema,
  })
  .openapi('Session');

export const PasswordChangeBody = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: z.string().min(8).max(256).openapi({ description: '8 characters to 72 bytes' }),
    session: z
      .enum(['token', 'cookie'])
      .optional()
      .openapi({ description: 'As at login: `cookie` sets the new session as HttpOnly cookies' }),
  })
  .openapi('PasswordChange');

export const RefreshBody = z
  .object({ refreshToken: z.string().max(200).optional() })
  .openapi('RefreshRequest');

export const NewUserBody = z
  .object({
    email: z.string().email().max(254),
    password: z.string().min(8).max(256),
    role: Role.default('viewer'),
  })
  .openapi('NewUser');

export const UserPatchBody = z
  .object({
    role: Role.optional(),
    disabled: z.boolean().optional(),
    password: z.string().min(8).max(256).optional(),
  })
  .openapi('UserPatch');

export const ApiKeySchema = z
  .object({
    id: z.string(),
    tenant: z.string(),
    name: z.string(),
    role: Role,
    userId: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

export const NewApiKeyBody = z
  .object({ name: z.string().min(1).max(100), role: Role.default('viewer') })
  .openapi('NewApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: 'The secret: shown once, never again', example: 'ff_abcd…_…' }),
}).openapi('CreatedApiKey');

export const SetupBody = z
  .object({ email: z.string().email().max(254), password: z.string().min(8).max(256) })
  .openapi('SetupRequest');
