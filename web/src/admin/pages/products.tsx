/** Products (the vendor's apps): list with an add form, and an edit page per product. */
import { useState } from 'react';
import { Form, SubmitButton, TextArea, TextField, useSubmit, type FieldErrors } from '../../shared/forms.tsx';
import { useAsync, usePaged } from '../../shared/hooks.ts';
import { Link, navigate } from '../../shared/router.tsx';
import { ConfirmDialog, ErrorBox, Loading, Notice, PageHeader } from '../../shared/ui.tsx';
import { PagedTable } from '../../shared/paged-table.tsx';
import { adminApi } from '../api.ts';
import type { Product } from '../../shared/api-types.ts';
import { useCanEdit } from '../session.tsx';
import { SessionFields, sessionBodyOf, sessionChecks, sessionFormOf, type SessionForm } from './product-sessions.tsx';

const isUrl = (v: string) => /^https?:\/\/\S+$/i.test(v);
/** Roles as one line each, `key` or `key: Name` (decision 0028). */
const rolesText = (roles: Product['roles']) => (roles ?? []).map((r) => (r.name && r.name !== r.key ? `${r.key}: ${r.name}` : r.key)).join('\n');
const rolesOf = (text: string) =>
  text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const i = l.indexOf(':');
    return i < 0 ? { key: l } : { key: l.slice(0, i).trim(), name: l.slice(i + 1).trim() || undefined };
  });

function urlChecks(f: { defaultRedirectUrl: string; initiateLoginUri: string }, e: FieldErrors) {
  if (f.defaultRedirectUrl.trim() && !isUrl(f.defaultRedirectUrl.trim())) e.defaultRedirectUrl = 'Enter a full URL starting with https://.';
  if (f.initiateLoginUri.trim() && !isUrl(f.initiateLoginUri.trim())) e.initiateLoginUri = 'Enter a full URL starting with https://.';
  return e;
}

export function ProductsPage() {
  const canEdit = useCanEdit();
  const list = usePaged((cursor, signal) => adminApi.products({ cursor }, signal), []);
  const [f, setF] = useState({ product: '', name: '', defaultRedirectUrl: '', initiateLoginUri: '' });
  const [added, setAdded] = useState<string | null>(null);
  const state = useSubmit();
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));

  const submit = () =>
    state.run(async () => {
      const p = await adminApi.createProduct({ product: f.product.trim(), name: f.name.trim() || undefined, defaultRedirectUrl: f.defaultRedirectUrl.trim() || undefined, initiateLoginUri: f.initiateLoginUri.trim() || undefined });
      setAdded(p.product);
      setF({ product: '', name: '', defaultRedirectUrl: '', initiateLoginUri: '' });
      list.reload();
    });

  return (
    <>
      <PageHeader title="Products" description="Your apps. Connections and directories belong to a tenant and a product." />
      <PagedTable
        list={list}
        label="Products"
        rowKey={(p) => p.product}
        empty={{ title: 'No products yet', body: 'Add your first app below: its default redirect URL is where users land after the one-click login link.' }}
        columns={[
          { header: 'Product', cell: (p) => <Link to={`/admin/products/${encodeURIComponent(p.product)}`}>{p.product}</Link> },
          { header: 'Name', cell: (p) => p.name },
          { header: 'Default redirect URL', className: 'break', cell: (p) => p.defaultRedirectUrl || '—' },
          { header: 'Initiate login URI', className: 'break', cell: (p) => p.initiateLoginUri || '—' },
        ]}
      />
      {canEdit ? (
        <section aria-labelledby="add-product">
          <h2 id="add-product">Add a product</h2>
          {added ? <Notice kind="success">Product {added} added.</Notice> : null}
          <Form state={state} onSubmit={submit} label="Add a product" validate={() => urlChecks(f, f.product.trim() ? {} : { product: 'Enter an identifier for the app, e.g. crm.' })}>
            <div className="grid-2">
              <TextField name="product" label="Product identifier" hint="Used by apps as product=… (letters, digits, dashes)." value={f.product} onValue={set('product')} required />
              <TextField name="name" label="Display name" value={f.name} onValue={set('name')} />
              <TextField name="defaultRedirectUrl" label="Default redirect URL" type="url" value={f.defaultRedirectUrl} onValue={set('defaultRedirectUrl')} />
              <TextField name="initiateLoginUri" label="Initiate login URI" type="url" hint="Your app's page that starts sign-in (OIDC initiate_login_uri)." value={f.initiateLoginUri} onValue={set('initiateLoginUri')} />
            </div>
            <div className="form-actions">
              <SubmitButton busy={state.busy}>Add product</SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export function ProductEditPage({ product }: { product: string }) {
  const res = useAsync((signal) => adminApi.product(product, signal), [product]);
  if (res.loading && !res.data) return <Loading label="Loading the product…" />;
  if (res.error || !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  return <ProductEdit p={res.data} />;
}

function ProductEdit({ p }: { p: Product }) {
  const canEdit = useCanEdit();
  const [f, setF] = useState({ name: p.name ?? '', defaultRedirectUrl: p.defaultRedirectUrl ?? '', initiateLoginUri: p.initiateLoginUri ?? '', roles: rolesText(p.roles) });
  const [sessions, setSessions] = useState<SessionForm>(sessionFormOf(p));
  const [saved, setSaved] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const state = useSubmit();
  const del = useSubmit();
  const set = (k: keyof typeof f) => (v: string) => setF((s) => ({ ...s, [k]: v }));
  const setSession = <K extends keyof SessionForm>(k: K, v: SessionForm[K]) => setSessions((s) => ({ ...s, [k]: v }));
  const submit = () =>
    state.run(async () => {
      setSaved(false);
      await adminApi.updateProduct(p.product, { name: f.name.trim(), defaultRedirectUrl: f.defaultRedirectUrl.trim() || null, initiateLoginUri: f.initiateLoginUri.trim() || null, roles: rolesOf(f.roles), ...sessionBodyOf(sessions) });
      setSaved(true);
    });
  const remove = () =>
    del.run(async () => {
      await adminApi.deleteProduct(p.product);
      navigate('/admin/products');
    }).finally(() => setConfirm(false));
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/admin/products">Products</Link> <span aria-hidden="true">/</span> <span aria-current="page">{p.product}</span>
      </nav>
      <PageHeader
        title={`Product ${p.product}`}
        actions={
          canEdit ? (
            <button type="button" className="button button--danger" onClick={() => setConfirm(true)}>
              Delete
            </button>
          ) : null
        }
      />
      <ErrorBox error={del.error} />
      {saved ? <Notice kind="success">Changes saved.</Notice> : null}
      <Form state={state} onSubmit={submit} label="Edit product" validate={() => sessionChecks(sessions, urlChecks(f, {}))}>
        <TextField name="name" label="Display name" value={f.name} onValue={set('name')} disabled={!canEdit} />
        <TextField name="defaultRedirectUrl" label="Default redirect URL" type="url" hint="Where users land after the one-click login link." value={f.defaultRedirectUrl} onValue={set('defaultRedirectUrl')} disabled={!canEdit} />
        <TextField name="initiateLoginUri" label="Initiate login URI" type="url" hint="Your app's page that starts sign-in (OIDC initiate_login_uri)." value={f.initiateLoginUri} onValue={set('initiateLoginUri')} disabled={!canEdit} />
        <TextArea name="roles" label="Roles" hint={<>One per line, <code>key</code> or <code>key: Name</code>. Your app receives the keys in <code>roles</code>; tenants map their groups to them under Reconciliation &amp; roles.</>} value={f.roles} onValue={set('roles')} disabled={!canEdit} rows={4} />
        <SessionFields f={sessions} set={setSession} disabled={!canEdit} />
        {canEdit ? (
          <div className="form-actions">
            <SubmitButton busy={state.busy}>Save changes</SubmitButton>
          </div>
        ) : null}
      </Form>
      <ConfirmDialog open={confirm} title={`Delete product ${p.product}?`} confirmLabel="Delete product" danger busy={del.busy} onConfirm={() => void remove()} onCancel={() => setConfirm(false)}>
        <p>Connections and directories that name this product keep working, but its default redirect URL and initiate login URI are forgotten.</p>
      </ConfirmDialog>
    </>
  );
}
