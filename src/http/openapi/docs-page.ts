/**
 * The API reference page (`GET /api/docs`), rendered on the server from the OpenAPI document: no script at all and
 * styles from /assets/api-docs.css, so the strict CSP holds and it works offline (no CDN).
 */
import { escapeHtml as e } from '../pages.ts';

type Json = Record<string, unknown>;
interface Operation { operationId: string; tags: string[]; summary: string; description?: string; parameters?: Json[]; requestBody?: { content: Record<string, { schema: Json }> }; responses: Record<string, Json>; security: Record<string, string[]>[] }

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const refName = (ref: string) => ref.split('/').pop()!;

/** A short, readable type for a JSON Schema: `Connection`, `string[]`, `object`… */
function typeOf(s: Json | undefined): string {
  if (!s) return '';
  if (typeof s.$ref === 'string') return refName(s.$ref);
  if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).map(typeOf).join(' | ');
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === 'array') return `${typeOf(s.items as Json)}[]`;
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return String(s.type ?? 'any');
}

/** `$ref`s become links to the schema's section. */
function schemaHtml(s: Json | undefined): string {
  if (!s) return '';
  if (typeof s.$ref === 'string') return `<a href="#schema-${e(refName(s.$ref))}">${e(refName(s.$ref))}</a>`;
  const props = s.properties as Record<string, Json> | undefined;
  if (!props) return `<code>${e(typeOf(s))}</code>`;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const rows = Object.entries(props).map(([name, p]) => {
    const link = typeof p.$ref === 'string' || (p.type === 'array' && typeof (p.items as Json | undefined)?.$ref === 'string');
    const t = link ? schemaHtml(p.type === 'array' ? (p.items as Json) : p) + (p.type === 'array' ? '[]' : '') : `<code>${e(typeOf(p))}</code>`;
    return `<tr><td><code>${e(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${t}</td><td>${e(String(p.description ?? ''))}</td></tr>`;
  });
  return `<table class="fields"><thead><tr><th>Field</th><th>Type</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function operationHtml(method: string, path: string, op: Operation, doc: Json): string {
  const params = (op.parameters ?? []).map((p) => `<tr><td><code>${e(String(p.name))}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${e(String(p.in))}</td><td>${e(String(p.description ?? ''))}</td></tr>`).join('');
  const body = op.requestBody ? Object.entries(op.requestBody.content).map(([type, c]) => `<h4>Body <code>${e(type)}</code></h4>${schemaHtml(c.schema)}`).join('') : '';
  const responses = Object.entries(op.responses).map(([status, raw]) => {
    const r = (typeof raw.$ref === 'string' ? ((doc.components as Json).responses as Record<string, Json>)[refName(raw.$ref)] : raw) as Json;
    const content = Object.entries((r.content as Record<string, { schema: Json }> | undefined) ?? {}).map(([type, c]) => ` <code>${e(type)}</code> ${schemaHtml(c.schema)}`).join('');
    return `<li><span class="status s${status[0]}">${e(status)}</span> ${e(String(r.description ?? ''))}${content}</li>`;
  }).join('');
  const inPath = op.parameters?.some((p) => p.name === 'token' && p.in === 'path');
  const security = op.security.length ? op.security.map((s) => Object.keys(s).join(' + ') || 'none').join(' or ') : inPath ? 'the setup link\'s token in the path' : 'none';
  return `<section class="op" id="${e(op.operationId)}"><h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${e(path)}</code></h3>
<p class="summary">${e(op.summary)}</p>${op.description ? `<p>${e(op.description)}</p>` : ''}<p class="auth">Authentication: ${e(security)}</p>
${params ? `<h4>Parameters</h4><table class="fields"><thead><tr><th>Name</th><th>In</th><th>Notes</th></tr></thead><tbody>${params}</tbody></table>` : ''}${body}
<h4>Responses</h4><ul class="responses">${responses}</ul></section>`;
}

/** The whole reference: a contents list by tag, every operation, then the shared schemas and security schemes. */
export function renderApiDocs(doc: Json): string {
  const info = doc.info as { title: string; version: string; description: string };
  const tags = doc.tags as { name: string; description: string }[];
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const byTag = new Map(tags.map((t) => [t.name, [] as string[]]));
  const contents = new Map(tags.map((t) => [t.name, [] as string[]]));
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      byTag.get(op.tags[0]!)?.push(operationHtml(method, path, op, doc));
      contents.get(op.tags[0]!)?.push(`<li><a href="#${e(op.operationId)}"><span class="method ${method}">${method.toUpperCase()}</span> ${e(path)}</a></li>`);
    }
  }
  const components = doc.components as { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
  const toc = tags.map((t) => `<li><a href="#tag-${e(t.name.replace(/\W+/g, '-'))}">${e(t.name)}</a><ul>${contents.get(t.name)!.join('')}</ul></li>`).join('');
  const sections = tags.map((t) => `<section class="tag" id="tag-${e(t.name.replace(/\W+/g, '-'))}"><h2>${e(t.name)}</h2><p>${e(t.description)}</p>${byTag.get(t.name)!.join('\n')}</section>`).join('\n');
  const schemas = Object.entries(components.schemas).map(([name, s]) => `<section class="schema" id="schema-${e(name)}"><h3>${e(name)}</h3>${schemaHtml(s)}</section>`).join('\n');
  const security = Object.entries(components.securitySchemes).map(([name, s]) => `<dt><code>${e(name)}</code></dt><dd>${e(String(s.description ?? ''))}</dd>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(info.title)} ${e(info.version)} · reference</title><link rel="stylesheet" href="/assets/api-docs.css"></head>
<body><nav class="toc"><p class="brand">${e(info.title)} <span class="muted">${e(info.version)}</span></p><p><a href="/api/openapi.json">openapi.json</a> (OpenAPI 3.1)</p><ul>${toc}<li><a href="#schemas">Schemas</a></li></ul></nav>
<main><h1>${e(info.title)}</h1><p>${e(info.description)}</p><h2>Authentication</h2><dl class="security">${security}</dl>
${sections}
<section id="schemas"><h2>Schemas</h2>${schemas}</section></main></body></html>`;
}

export const API_DOCS_CSS = `:root{color-scheme:light;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1a2e;background:#f4f5f7}
body{margin:0;display:flex;align-items:flex-start}nav.toc{position:sticky;top:0;height:100vh;overflow:auto;width:22rem;flex:none;background:#fff;border-right:1px solid #e3e4ea;padding:1rem;box-sizing:border-box;font-size:.85rem}
nav.toc ul{list-style:none;padding-left:.6rem}nav.toc a{color:#1a1a2e;text-decoration:none}nav.toc a:hover,nav.toc a:focus{text-decoration:underline;outline:2px solid #f5a623}
main{padding:1.5rem 2.5rem;max-width:72rem;min-width:0}.brand{font-weight:700;color:#3b3b98}.muted{color:#4a4a68}
section.op{background:#fff;border-radius:10px;box-shadow:0 1px 6px rgba(0,0,0,.06);padding:1rem 1.4rem;margin:1rem 0}
h3 code{font-size:1rem;overflow-wrap:anywhere}.summary{font-weight:600}.auth{color:#4a4a68;font-size:.9rem}
.method{display:inline-block;min-width:3.6rem;text-align:center;border-radius:4px;font-size:.75rem;font-weight:700;padding:.1rem .3rem;color:#fff;background:#4a4a68}
.method.get{background:#1f6f43}.method.post{background:#3b3b98}.method.put{background:#8a5a00}.method.patch{background:#6b4aa0}.method.delete{background:#a12828}
table.fields{border-collapse:collapse;width:100%;font-size:.9rem;margin:.3rem 0}table.fields th,table.fields td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e4ea;vertical-align:top;overflow-wrap:anywhere}
.req{color:#a12828;font-size:.75rem}ul.responses{list-style:none;padding:0}ul.responses li{margin:.4rem 0}
.status{display:inline-block;min-width:2.6rem;font-weight:700}.status.s2{color:#1f6f43}.status.s3{color:#3b3b98}.status.s4,.status.s5{color:#a12828}
code{background:#eef;padding:.1rem .3rem;border-radius:4px}section.schema{background:#fff;border-radius:10px;padding:.8rem 1.4rem;margin:1rem 0}
@media (max-width:60rem){body{display:block}nav.toc{position:static;width:auto;height:auto}}`;
