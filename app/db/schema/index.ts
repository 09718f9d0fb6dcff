export * from "./users";
export * from "./catalog";
export * from "./devices";
export * from "./audit";
