// Structured logs, one JSON object a line. Only these fields can be logged,
// and only as plain values, so a key, a token or a request body cannot slip
// into a log line by accident.
const FIELDS = [
  'method',
  'path',
  'status',
  'durationMs',
  'correlationId',
  'companyId',
  'connectionId',
  'outcome',
  'origin',
  'port',
  'mode',
  'replayed',
  // The start-up line's settings: where each secret came from and which limits hold, never a value.
  'environment',
  'partnerSecretSource',
  'secretKeySource',
  'dataFiles',
  'limits',
  'allowedOrigins',
  'publicOrigin',
  'trustProxy',
  'reason',
] as const;

export type LogField = (typeof FIELDS)[number];
export type LogFields = Partial<Record<LogField, string | number | boolean>>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function createLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const emit = (level: string, event: string, fields: LogFields = {}) => {
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, event };
    for (const name of FIELDS) {
      const value = fields[name];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') entry[name] = value;
    }
    write(JSON.stringify(entry));
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}
