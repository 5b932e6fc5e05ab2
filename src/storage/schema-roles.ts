/** Tables of group-to-role mapping (issue 16 §4, decision 0028). Same conventions as schema.ts. */
export interface RoleMappingsTable {
  tenant: string;
  product: string;
  mappings: string; // JSON [{group, role}]: a group (name or id, matched case-insensitively) gives a role the product declares
  updated_at: number;
}

export interface RoleTables {
  role_mappings: RoleMappingsTable;
}
