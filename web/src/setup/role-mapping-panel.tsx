/** The setup link's group-to-role mapping (issue 16 §4): loaded only once opened, for the link's own tenant and product. */
import { useMemo, useState } from 'react';
import { RoleMappingEditor, type RoleMappingApi } from '../shared/role-mapping-editor.tsx';
import type { SetupApi } from './api.ts';

export function RoleMappingPanel({ api }: { api: SetupApi }) {
  const [open, setOpen] = useState(false);
  const roleApi = useMemo<RoleMappingApi>(() => ({ load: (signal) => api.roleMappings(signal), preview: api.previewRoleMappings, save: api.saveRoleMappings }), [api]);
  return (
    <details className="panel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Roles in the app (map your groups to roles)</summary>
      {open ? <RoleMappingEditor api={roleApi} who="customer" /> : null}
    </details>
  );
}
