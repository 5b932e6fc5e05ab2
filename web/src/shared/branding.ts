/**
 * Branding from the public `GET /api/branding`: the product name, an optional logo and the primary colour.
 * The colour is applied as CSS custom properties on <html> through the CSSOM (allowed by the CSP, unlike a
 * style attribute), with a text colour chosen for contrast so buttons stay readable whatever the colour.
 */
import type { Branding } from './api-types.ts';

export const DEFAULT_BRANDING: Branding = { productName: 'Gatehouse', logoUrl: null, primaryColor: null };

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

export function isColor(v: string) {
  return HEX.test(v.trim());
}

function rgb(hex: string): [number, number, number] {
  let h = hex.slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG relative luminance. */
function luminance([r, g, b]: [number, number, number]) {
  const f = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

export function contrastText(hex: string): string {
  const l = luminance(rgb(hex));
  // Contrast with white = 1.05/(l+0.05); with near-black #111 ≈ (l+0.05)/0.0556. Pick the larger.
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 ? '#ffffff' : '#111111';
}

export function applyBranding(b: Branding) {
  const root = document.documentElement;
  if (b.primaryColor && isColor(b.primaryColor)) {
    root.style.setProperty('--brand', b.primaryColor);
    root.style.setProperty('--brand-contrast', contrastText(b.primaryColor));
  } else {
    root.style.removeProperty('--brand');
    root.style.removeProperty('--brand-contrast');
  }
}

export async function loadBranding(): Promise<Branding> {
  try {
    const res = await fetch('/api/branding', { headers: { accept: 'application/json' }, cache: 'no-cache' });
    if (!res.ok) return DEFAULT_BRANDING;
    const b = (await res.json()) as Partial<Branding> & { data?: Partial<Branding> };
    const v = b.data ?? b;
    return { productName: v.productName || DEFAULT_BRANDING.productName, logoUrl: v.logoUrl || null, primaryColor: v.primaryColor || null };
  } catch {
    return DEFAULT_BRANDING;
  }
}
