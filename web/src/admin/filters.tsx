/** The tenant/product filter shared by the connection and directory lists; its values live in the URL. */
import { useState, type ReactNode } from 'react';
import { setSearch } from '../shared/router.tsx';

/** `children`: a list's own fields, placed after Product (the setup links' Status, which applies as soon as it is chosen). */
export function TenantProductFilter({ tenant, product, label, children }: { tenant: string; product: string; label: string; children?: ReactNode }) {
  const [t, setT] = useState(tenant);
  const [p, setP] = useState(product);
  return (
    <form
      className="filters"
      aria-label={label}
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        setSearch({ tenant: t.trim(), product: p.trim() });
      }}
    >
      <div className="field">
        <label htmlFor="filter-tenant">Tenant</label>
        <input id="filter-tenant" value={t} onChange={(e) => setT(e.target.value)} placeholder="e.g. acme.com" />
      </div>
      <div className="field">
        <label htmlFor="filter-product">Product</label>
        <input id="filter-product" value={p} onChange={(e) => setP(e.target.value)} placeholder="e.g. crm" />
      </div>
      {children}
      <div className="filters__actions">
        <button type="submit" className="button">
          Filter
        </button>
        {tenant || product ? (
          <button type="button" className="button button--ghost" onClick={() => (setT(''), setP(''), setSearch({ tenant: null, product: null }))}>
            Clear
          </button>
        ) : null}
      </div>
    </form>
  );
}

export const connectionKind = (c: { oidcProvider?: unknown; idpMetadata?: unknown }) => (c.oidcProvider ? 'OIDC' : 'SAML');
