/** One refusal code's HTTP meaning (see ../refusals.ts). */
export interface RefusalSpec {
  status: number;
  /** The sentence people read; a function when it depends on the refusal's facts. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry reads its own facts
  message: string | ((r: any) => string);
  /** Facts of the refusal that JSON clients see (by name). */
  expose?: readonly string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  headers?: (r: any) => Record<string, string>;
}

export const defineRefusals = <T extends Record<string, RefusalSpec>>(t: T): T => t;
