/** Why a throwaway cluster cannot start here, or null when it can. */
export function postgresUnavailable(): string | null;
/** Starts a cluster; resolves to its URL and a stop function that removes it. */
export function startPostgres(): Promise<{ url: string; stop(): void }>;
