export * from "./users";
export * from "./catalog";
export * from "./devices";
export * from "./audit";
export * from "./sessions";
export * from "./ownership";
export * from "./billing";
