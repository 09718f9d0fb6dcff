// Types for standins/index.mjs, for its TypeScript callers (test/global-setup.ts).
export declare const DEFAULT_PORTS: { auth0: number; stripe: number; aws: number; elevenlabs: number; workersAi: number; mail: number; access: number };

export interface RunningStandins {
  urls: Record<string, string>;
  ports: Record<string, number>;
  services: Record<string, { url: string; port: number; close(): Promise<void> }>;
  close(): Promise<unknown>;
}

export declare function startStandins(opts?: {
  ports?: Partial<typeof DEFAULT_PORTS>;
  appOrigin?: string;
  env?: Record<string, string>;
}): Promise<RunningStandins>;
