/** Types of jackson.mjs (plain JavaScript so that its child process needs no TypeScript loader). */
export declare const JACKSON_AUDIENCE: string;

export type JacksonStore = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string } | { engine: 'mem' };

/** The controllers `jackson()` returns (untyped: the benchmark calls a handful of them through `answer`). */
export type JacksonControllers = Record<string, any> & { close?: () => Promise<void> };

export declare function startJackson(opts: { externalUrl: string; store: JacksonStore; encryptionKey?: string }): Promise<JacksonControllers>;

export interface JacksonRequest {
  method: string;
  path: string;
  /** Lower-cased names. */
  headers?: Record<string, string>;
  body?: string;
}

export interface JacksonAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export declare function answer(j: JacksonControllers, req: JacksonRequest): Promise<JacksonAnswer>;
