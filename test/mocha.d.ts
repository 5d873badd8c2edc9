// The browser tests run under Mocha (Web Test Runner); TypeScript 7 no longer loads @types by itself.
/// <reference types="mocha" />
