/** Who an identity is for. Apart from identity.ts so that naming a role loads no cryptography. */
export const ROLES = ['coordinator', 'client'] as const;
export type Role = (typeof ROLES)[number];
