/**
 * A tiny typed event hub: a layer announces what happened (a sign-in completed or was refused) and the
 * layers above it that care (SSO traces, setup-link tests) subscribe, so the protocol code never imports
 * them (docs/decisions/0013-layers.md). One hub per app context, built in boot(): never a module-level
 * singleton, so test apps in one process do not hear each other.
 */

/**
 * Every event, by name, with its payload. Empty here: each layer declares its own events by augmenting
 * this interface (`declare module '…/events/event-hub.ts'`), as Fastify decorations are declared, so the
 * hub knows no domain (src/sso/login-events.ts declares the sign-in events).
 */
export interface AppEvents {}

export type AppEventName = keyof AppEvents;
type Listener<K extends AppEventName> = (event: AppEvents[K]) => void | Promise<void>;

export class EventHub {
  readonly #listeners = new Map<AppEventName, Listener<never>[]>();

  on<K extends AppEventName>(name: K, listener: Listener<K>): void {
    this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), listener as Listener<never>]);
  }

  /**
   * Runs the listeners one after another, in the order they subscribed, and waits for them: the answer
   * to the browser goes out after the trace and the test result are stored. A listener that throws fails
   * the emit (listeners that must never fail a sign-in catch their own errors).
   */
  async emit<K extends AppEventName>(name: K, event: AppEvents[K]): Promise<void> {
    for (const listener of this.#listeners.get(name) ?? []) await (listener as Listener<K>)(event);
  }
}
