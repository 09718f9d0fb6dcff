/** What workers/app.ts hands every loader and action. */
declare module "@remix-run/cloudflare" {
  interface AppLoadContext {
    cloudflare: { env: Env; ctx: ExecutionContext };
    requestId: string;
    /** CSP nonce for the inline scripts Remix renders. */
    nonce: string;
  }
}
export {};
