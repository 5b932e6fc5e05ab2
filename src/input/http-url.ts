/** The URL rule shared by the input schemas (redirect URLs, metadata URLs, product and branding links). */
export function isAbsoluteHttpUrl(u: string): boolean {
  try {
    const p = new URL(u);
    return p.protocol === 'https:' || p.protocol === 'http:';
  } catch {
    return false;
  }
}
