/** This copy's package version, so two copies on one page can say which is which. Kept equal to package.json by a test. */
export const VERSION = '0.1.0';
