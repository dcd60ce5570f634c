// Types of bin/findNode.mjs for the TypeScript that uses it (the launcher's tests).
type Env = Readonly<Record<string, string | undefined>>;
export declare const REPO: string;
export declare const PROVISIONED_MAJOR: number;
export declare class LaunchError extends Error {}
export declare function requiredVersion(): [number, number, number];
export declare function isNewEnough(version: string, minimum: readonly number[]): boolean;
export declare function cacheDir(env?: Env): string;
export declare function nodePackage(): string | undefined;
export declare function provisionedNode(major?: number, env?: Env): string | undefined;
export declare function versionOf(node: string): string | undefined;
export declare function nodesOnPath(env?: Env): string[];
export declare function findNode(minimum: readonly number[], env?: Env): string | undefined;
export declare function provisionNode(major?: number, env?: Env): string;
export declare function newEnoughNode(env?: Env): string;
