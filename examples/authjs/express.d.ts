/**
 * The few Express 5 types the Auth.js example uses. Gatehouse itself runs on Fastify and does not depend on
 * @types/express; an app of your own would install it (`npm i -D @types/express`) instead of this file.
 */
declare module 'express' {
  import type { IncomingMessage, ServerResponse, Server } from 'node:http';

  export interface Request extends IncomingMessage {
    query: Record<string, unknown>;
    protocol: string;
    baseUrl: string;
    originalUrl: string;
    params: Record<string, string>;
    get(name: string): string | undefined;
  }
  export interface Response extends ServerResponse {
    set(headers: Record<string, string>): this;
    type(type: string): this;
    send(body: string): this;
  }
  export type NextFunction = (err?: unknown) => void;
  export type Handler = (req: Request, res: Response, next: NextFunction) => unknown;
  export interface Application {
    disable(setting: string): this;
    use(path: string, handler: Handler): this;
    use(handler: Handler): this;
    get(path: string, handler: Handler): this;
    listen(port: number, host: string, callback: (err?: Error) => void): Server;
  }
  export default function express(): Application;
}
