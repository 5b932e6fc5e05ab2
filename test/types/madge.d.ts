// The part of madge's programmatic API that test/codebase/layers.test.ts uses (madge ships no types).
declare module 'madge' {
  interface MadgeConfig {
    fileExtensions?: string[];
    tsConfig?: string;
    excludeRegExp?: RegExp[];
    baseDir?: string;
  }
  interface MadgeInstance {
    /** Each file (relative to the path given) and the files it imports. */
    obj(): Record<string, string[]>;
    circular(): string[][];
    warnings(): { skipped: string[] };
  }
  function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeInstance>;
  export default madge;
}
