/** The signed-in admin, the CSRF token and the branding, shared by every admin screen. */
import { createContext, useContext } from 'react';
import type { Branding, Session } from '../shared/api-types.ts';

export interface AdminContext {
  session: Session | null;
  setSession: (s: Session | null) => void;
  signOut: () => Promise<void>;
  branding: Branding;
  setBranding: (b: Branding) => void;
}

export const AdminCtx = createContext<AdminContext | null>(null);

export function useAdmin(): AdminContext {
  const ctx = useContext(AdminCtx);
  if (!ctx) throw new Error('useAdmin outside the admin app');
  return ctx;
}

/** Owners and admins change things; viewers only look. */
export function useCanEdit(): boolean {
  return useAdmin().session?.user.role !== 'viewer';
}

export function useIsOwner(): boolean {
  return useAdmin().session?.user.role === 'owner';
}
