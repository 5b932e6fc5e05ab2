// Types of scripts/build-server.mjs for the TypeScript tests and benchmarks that use it.
export declare const SERVER_DIR: string;
export declare const SERVER_NODE_FLAGS: string[];
export declare const SERVER_ENV: Readonly<Record<string, string>>;
export declare function isStale(): boolean;
export declare function buildServer(opts?: { quiet?: boolean }): Promise<void>;
export declare function ensureServerBundle(): Promise<string>;
