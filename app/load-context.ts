/** What workers/app.ts hands every loader and action. */
export interface AppLoadContext {
  cloudflare: { env: Env; ctx: ExecutionContext };
  requestId: string;
  /** CSP nonce for the inline scripts Remix renders. */
  nonce: string;
}

declare module "@remix-run/cloudflare" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends import("./load-context").AppLoadContext {}
}
