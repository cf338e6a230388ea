/**
 * The mocha globals web-test-runner provides, typed here because `@types/mocha` is not installed
 * (and tsconfig's `types` lists only node).
 */
declare function describe(name: string, body: () => void): void;
declare function it(name: string, body: () => Promise<void> | void): void;
declare function beforeEach(body: () => Promise<void> | void): void;
declare function afterEach(body: () => Promise<void> | void): void;
